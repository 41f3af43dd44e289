package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// Logf writes to the host's log, tagged with the plugin id and the request
// id. level is debug, info, warn or error. Outside a request it goes to
// standard error, which the host also collects. Never log personal data or
// secrets (a NIK, a name, a token): the log is read by more people than
// the register.
func Logf(ctx context.Context, level, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if req, ok := ctx.Value(ctxKey{}).(*Request); ok && req.host != nil {
		if err := req.host.Log(ctx, &pb.LogRecord{Scope: req.scope, Level: level, Message: msg}); err == nil {
			return
		}
	}
	fmt.Fprintf(stderr, "%s: %s\n", level, msg)
}

// Settings reads the plugin's settings for the tenant into v, inherited by
// top-level key: each key's value comes whole (an object is never merged
// inside) from the nearest tenant that set it, the tenant itself first; a
// key that tenant removed is absent. See SaveSettings.
func (r *Request) Settings(ctx context.Context, v any) error {
	b, err := r.host.GetSettings(ctx, r.scope)
	if err != nil {
		return hostError(err)
	}
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, v)
}

// SaveSettings stores v as the plugin's settings for the tenant. The host
// keeps the tenant's own part by top-level key, each value whole: the
// keys it set before and those that differ from what it inherits; an
// inherited key left out of v is kept as removed. The tenant so goes on
// following its ancestors' later changes of the keys it never set. The
// host diffs and writes in one transaction; v itself is what the plugin
// read with Settings and changed, so read and save within one request.
func (r *Request) SaveSettings(ctx context.Context, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return hostError(r.host.PutSettings(ctx, r.scope, b))
}

// File describes a stored file.
type File struct {
	// ID is the file's id in the tenant, to store in a record.
	ID string `json:"id"`
	// Name is the name it was stored under.
	Name string `json:"name"`
	// ContentType is what the host sniffed from the content, not what the
	// client said ("image/jpeg").
	ContentType string `json:"content_type"`
	// Size is in bytes.
	Size int64 `json:"size"`
	// SHA256 is the content's hash, in hex.
	SHA256 string `json:"sha256"`
}

func fileFromPB(f *pb.FileInfo) *File {
	if f == nil {
		return nil
	}
	return &File{ID: f.Id, Name: f.Name, ContentType: f.ContentType, Size: f.Size, SHA256: f.Sha256}
}

// FileRules bound what PutFile stores.
type FileRules struct {
	// Accept lists the content types taken ("image/*", "application/pdf"),
	// which the host sniffs from the data, not from the name or what the
	// client said; empty takes images, PDF and plain text.
	Accept []string
	// MaxBytes is a size limit below the host's own; 0 is the host's.
	MaxBytes int64
}

// PutFile stores a file in the tenant under rules. A file of another type
// is refused with an *Error matching ErrInvalid (422), one over the limit
// with one matching ErrTooLarge (413); nothing is stored then.
func (r *Request) PutFile(ctx context.Context, name string, data io.Reader, rules FileRules) (*File, error) {
	f, err := r.host.PutFile(ctx, &pb.FileHeader{Scope: r.scope, Name: name, Accept: rules.Accept, MaxBytes: rules.MaxBytes}, data)
	return fileFromPB(f), hostError(err)
}

// OpenFile streams a stored file of the tenant; close the reader. An
// unknown id is ErrNotFound.
func (r *Request) OpenFile(ctx context.Context, id string) (*File, io.ReadCloser, error) {
	f, rc, err := r.host.GetFile(ctx, &pb.FileRef{Scope: r.scope, Id: id})
	return fileFromPB(f), rc, hostError(err)
}

// FileAnswer says how ServeFile answers with a stored file.
type FileAnswer struct {
	// ETag, when set, is the answer's entity tag without quotes (the
	// file's SHA-256 the record keeps, with a suffix for a variant such as
	// a thumbnail): a browser's repeat visit naming it in If-None-Match is
	// answered 304 Not Modified before the file is opened.
	ETag string
	// Public lets browsers and shared caches keep the answer for an hour:
	// only for what anyone may see (a published photo). Otherwise the
	// answer is private, no-store: a clerk's view of an unverified report
	// must not stay in a proxy for the next caller.
	Public bool
	// Download, when set, is the file name a browser saves the answer as
	// (Content-Disposition: attachment); empty shows the file inline.
	Download string
	// NotFound answers an unknown id; nil answers 404 not_found.
	NotFound error
}

// ServeFile answers r with the tenant's stored file id: the type the host
// sniffed from the bytes when storing them (never the uploader's word) with
// X-Content-Type-Options: nosniff, its length, and the caching a says. An
// error before the first byte is answered in the documented shape; one
// while streaming is logged, the client seeing a cut answer.
func ServeFile(w http.ResponseWriter, r *http.Request, id string, a FileAnswer) {
	req := From(r)
	etag := ""
	if a.ETag != "" {
		etag = `"` + a.ETag + `"`
		if r.Header.Get("If-None-Match") == etag {
			w.Header().Set("ETag", etag)
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	info, rc, err := req.OpenFile(r.Context(), id)
	if err != nil {
		if errors.Is(err, ErrNotFound) && a.NotFound != nil {
			err = a.NotFound
		}
		FailErr(w, r, err)
		return
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", info.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.FormatInt(info.Size, 10))
	if a.Download != "" {
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Download}))
	} else {
		h.Set("Content-Disposition", "inline")
	}
	if a.Public {
		h.Set("Cache-Control", "public, max-age=3600")
	} else {
		h.Set("Cache-Control", "private, no-store")
	}
	if etag != "" {
		h.Set("ETag", etag)
	}
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, rc); err != nil {
		Logf(r.Context(), "warn", "streaming file %s: %v", id, err)
	}
}

// DeleteFile removes a stored file of the tenant.
func (r *Request) DeleteFile(ctx context.Context, id string) error {
	return hostError(r.host.DeleteFile(ctx, &pb.FileRef{Scope: r.scope, Id: id}))
}

// Call sends a request to another plugin's route in the same tenant, on
// behalf of the caller. It acts only with permissions the caller holds and
// this plugin's manifest declares in Uses: a route needing another
// permission answers 403 permission_not_declared, and the called plugin
// sees no other of the caller's permissions. Public routes need none. The
// answer is the called route's, errors in the documented shape included.
func (r *Request) Call(ctx context.Context, plugin, method, path string, query url.Values, body any) (*http.Response, error) {
	req := &pb.HTTPRequest{Scope: r.scope, TargetPlugin: plugin, Method: method, Path: path, RawQuery: query.Encode()}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		req.Body = b
		req.Headers = []*pb.Header{{Name: "Content-Type", Values: []string{"application/json"}}}
	}
	res, err := r.host.Call(ctx, req, nil)
	return res, hostError(err)
}

// maxAnswerBytes bounds what ReadAnswer reads of another plugin's answer.
const maxAnswerBytes = 8 << 20

// ReadAnswer reads the answer of a Call and closes its body. A 2xx answer
// is decoded into v (JSON; v nil skips it). An error answer is returned as
// an *Error with the called route's status, code and message, so
// errors.Is(err, sdk.ErrNotFound) and errors.As work on it as on storage's;
// an answer not in the documented shape gets code "internal". Answers
// above 8 MiB are refused.
func ReadAnswer(res *http.Response, v any) error {
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxAnswerBytes+1))
	switch {
	case err != nil:
		return fmt.Errorf("reading the answer: %w", err)
	case len(body) > maxAnswerBytes:
		return fmt.Errorf("the answer is larger than %d bytes", maxAnswerBytes)
	}
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		if v == nil {
			return nil
		}
		if err := json.Unmarshal(body, v); err != nil {
			return fmt.Errorf("decoding the answer: %w", err)
		}
		return nil
	}
	var shape struct {
		Error struct {
			Code    Code   `json:"code"`
			Message string `json:"message"`
			Field   string `json:"field"`
		} `json:"error"`
	}
	e := &Error{Status: res.StatusCode, Code: CodeInternal, Message: http.StatusText(res.StatusCode)}
	if json.Unmarshal(body, &shape) == nil && shape.Error.Code != "" {
		e.Code, e.Message, e.Field = shape.Error.Code, shape.Error.Message, shape.Error.Field
	}
	return e
}

// Tenant is a region of the deployment as plugins see it.
type Tenant struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Level  Level  `json:"level"`
	Parent string `json:"parent,omitempty"`
	// Modules enabled there, when asked for.
	Modules []string `json:"modules,omitempty"`
}

func tenantFromPB(t *pb.TenantInfo) Tenant {
	if t == nil {
		return Tenant{}
	}
	return Tenant{Code: t.Code, Name: t.Name, Level: Level(t.Level), Parent: t.Parent, Modules: t.Modules}
}

// TenantInfo describes the request's tenant and its ancestors (from the
// province down), for letterheads and page titles.
func (r *Request) TenantInfo(ctx context.Context) (self Tenant, ancestors []Tenant, err error) {
	res, err := r.host.Tenants(ctx, &pb.TenantsRequest{Scope: r.scope})
	if err != nil {
		return Tenant{}, nil, hostError(err)
	}
	for _, a := range res.Ancestors {
		ancestors = append(ancestors, tenantFromPB(a))
	}
	return tenantFromPB(res.Tenant), ancestors, nil
}

// TenantsBelow lists the tenants below the request's tenant, of one level
// if level is not empty (Village), with the modules enabled in each: what
// a district portal needs to list its villages.
func (r *Request) TenantsBelow(ctx context.Context, level Level) ([]Tenant, error) {
	res, err := r.host.Tenants(ctx, &pb.TenantsRequest{Scope: r.scope, Descendants: true, Level: string(level), Modules: true})
	if err != nil {
		return nil, hostError(err)
	}
	out := make([]Tenant, 0, len(res.Descendants))
	for _, t := range res.Descendants {
		out = append(out, tenantFromPB(t))
	}
	return out, nil
}
