package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/audit"
	"github.com/balaidesa/balai/core/events"
	"github.com/balaidesa/balai/core/files"
	"github.com/balaidesa/balai/core/modules"
	"github.com/balaidesa/balai/core/records"
	"github.com/balaidesa/balai/core/tenancy"
	"github.com/balaidesa/balai/sdk/input"
	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// hostService answers one plugin's calls to the host. Each call names a
// scope handle; the host finds tenant and caller from it, so the plugin
// cannot act in a tenant it was not handed.
type hostService struct {
	pb.UnimplementedHostServer
	rt *Runtime
	in *Instance
}

var actionRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)

var errScope = status.Error(codes.PermissionDenied, "unknown or expired scope: host calls are only valid while the request or event they came with is being served")

func (s *hostService) scope(sc *pb.Scope, service string) (*scopeEntry, error) {
	id := s.in.ID()
	s.rt.metrics.hostCalls.WithLabelValues(id, service).Inc()
	e, ok := s.rt.scopes.lookup(id, sc)
	if !ok {
		return nil, errScope
	}
	return e, nil
}

func (s *hostService) Storage(ctx context.Context, req *pb.StorageRequest) (*pb.StorageResponse, error) {
	e, err := s.scope(req.Scope, "storage")
	if err != nil {
		return nil, err
	}
	m := s.in.Manifest()
	actor := e.user
	if actor == "" {
		actor = "anonymous"
	}
	who := audit.Who{Actor: actor, Source: "plugin:" + m.Id, RequestID: e.requestID}
	scope := records.Scope{
		Tenant: e.tenant,
		// A roll-up over the tenants below leaves out those where the
		// module is switched off, as a request to them would be refused.
		Subtree: func() []tenancy.Region { return s.rt.modules.Regions(e.tenant, m.Id) },
		CanMoveTo: func(to string) error {
			if _, _, err := tenancy.ParseCode(to); err != nil {
				return err
			}
			if ok, err := tenancy.Exists(s.rt.h.DB.WithContext(ctx), to); err != nil || !ok {
				return fmt.Errorf("tenant %s does not exist", to)
			}
			if !s.rt.modules.Enabled(to, m.Id) {
				return fmt.Errorf("module %s is not enabled in %s", m.Id, to)
			}
			if e.user == "" || e.perm == "" || !s.rt.h.Authz.Allowed(e.user, e.limit, to, e.perm) {
				return fmt.Errorf("the caller does not hold %s in %s", e.perm, to)
			}
			return nil
		},
		Publish: func(tx *gorm.DB, tenant, name string, payload []byte) error {
			if !slices.Contains(m.Publishes, name) {
				return &records.Refused{Code: "invalid", Msg: fmt.Sprintf("event %s is not declared in the manifest's publishes", name)}
			}
			if !json.Valid(payload) {
				return &records.Refused{Code: "invalid", Msg: "an event payload must be JSON"}
			}
			_, err := events.Record(tx, m.Id, tenant, name, payload, s.rt.consumers(name))
			return err
		},
		Audit: func(tx *gorm.DB, action, target string, detail []byte) error {
			if !actionRE.MatchString(action) || input.Len(target) > 200 || input.Clean(target) != nil {
				return &records.Refused{Code: "invalid", Msg: "an audit action is dotted lower-case words, a target at most 200 characters of valid UTF-8 without NUL"}
			}
			var d any
			if len(detail) > 0 {
				if err := json.Unmarshal(detail, &d); err != nil {
					return &records.Refused{Code: "invalid", Msg: "audit detail must be JSON"}
				}
			}
			return audit.Record(tx, who, e.tenant, m.Id+"."+action, target, d)
		},
	}
	if !e.event {
		// A request's caller sees personal fields only with the
		// collection's personal permission (granted already holds what a
		// calling plugin may pass on), and every read that shows them is
		// audited. An event delivery has no caller: it sees them in full.
		scope.Holds = func(perm string) bool { return perm != "" && slices.Contains(e.granted, perm) }
		if req.RevealPurpose != "" {
			if input.Len(req.RevealPurpose) > 200 || input.Clean(req.RevealPurpose) != nil {
				return nil, status.Error(codes.InvalidArgument, "a reveal purpose is at most 200 characters of text")
			}
			scope.Reveal = req.RevealPurpose
		}
		if e.user != "" || scope.Reveal != "" {
			scope.PersonalRead = func(tx *gorm.DB, r records.PersonalRead) error {
				return audit.Record(tx, who, e.tenant, m.Id+".personal.read", r.Collection, r)
			}
		}
	}
	if e.idem != nil {
		// The write and the mark that the request wrote commit together.
		scope.OnWrite = e.idem.MarkWrote
	}
	res, err := s.rt.engine.Run(ctx, m.Id, scope, req)
	if err != nil {
		s.rt.log.Error("plugin storage call failed", "plugin", m.Id, "request_id", e.requestID, "err", err)
		return nil, status.Error(codes.Internal, "storage failed; see the host log")
	}
	for i, op := range req.Ops {
		if _, ok := op.Op.(*pb.StorageOp_Publish); ok && res.Results[i] != nil && res.Results[i].Error == nil {
			// An event was committed: deliver it now rather than at the
			// dispatcher's next tick. Reads must not wake it: each wake
			// reads the outbox once per consuming plugin.
			s.rt.events.poke()
			break
		}
	}
	return res, nil
}

func (s *hostService) Authorize(ctx context.Context, req *pb.AuthorizeRequest) (*pb.AuthorizeResponse, error) {
	e, err := s.scope(req.Scope, "authorize")
	if err != nil {
		return nil, err
	}
	tenant := e.tenant
	if req.Tenant != "" {
		tenant = req.Tenant
	}
	out := &pb.AuthorizeResponse{Allowed: make([]bool, len(req.Permissions))}
	if e.user == "" {
		return out, nil
	}
	for i, p := range req.Permissions {
		// A plugin called by another answers for no more than the calling
		// plugin may use, and a limited token for no more than its limit.
		out.Allowed[i] = (e.may == nil || e.may(p)) && s.rt.h.Authz.Allowed(e.user, e.limit, tenant, p)
	}
	return out, nil
}

func (s *hostService) PutFile(stream grpc.ClientStreamingServer[pb.FilePart, pb.FileInfo]) error {
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	if first.Header == nil {
		return status.Error(codes.InvalidArgument, "the first part must carry the file header")
	}
	e, err := s.scope(first.Header.Scope, "files")
	if err != nil {
		return err
	}
	body := pb.NewChunkReader(first.Data, func() ([]byte, error) {
		p, err := stream.Recv()
		if err != nil {
			return nil, err
		}
		return p.Data, nil
	})
	f, err := s.rt.files.Put(s.in.ID(), e.tenant, first.Header.Name, first.Header.Accept, first.Header.MaxBytes, body)
	if err != nil {
		return fileError(err)
	}
	return stream.SendAndClose(fileInfo(f))
}

func fileInfo(f *files.File) *pb.FileInfo {
	return &pb.FileInfo{Id: f.ID, Name: f.Name, ContentType: f.ContentType, Size: f.Size, Sha256: f.SHA256}
}

func fileError(err error) error {
	switch {
	case errors.Is(err, files.ErrTooLarge):
		return status.Error(codes.OutOfRange, err.Error())
	case errors.Is(err, files.ErrType):
		return status.Error(codes.InvalidArgument, err.Error())
	case errors.Is(err, files.ErrNotFound):
		return status.Error(codes.NotFound, err.Error())
	}
	return status.Error(codes.Internal, "file storage failed")
}

func (s *hostService) GetFile(ref *pb.FileRef, stream grpc.ServerStreamingServer[pb.FilePart]) error {
	e, err := s.scope(ref.Scope, "files")
	if err != nil {
		return err
	}
	f, r, err := s.rt.files.Open(s.in.ID(), e.tenant, ref.Id)
	if err != nil {
		return fileError(err)
	}
	defer r.Close()
	part := &pb.FilePart{Info: fileInfo(f)}
	buf := make([]byte, 32<<10)
	for {
		n, rerr := r.Read(buf)
		if n > 0 || part.Info != nil {
			part.Data = append([]byte(nil), buf[:n]...)
			if err := stream.Send(part); err != nil {
				return err
			}
			part = &pb.FilePart{}
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return status.Error(codes.Internal, "reading stored file failed")
		}
	}
}

func (s *hostService) DeleteFile(ctx context.Context, ref *pb.FileRef) (*pb.Empty, error) {
	e, err := s.scope(ref.Scope, "files")
	if err != nil {
		return nil, err
	}
	if err := s.rt.files.Delete(s.in.ID(), e.tenant, ref.Id); err != nil {
		return nil, fileError(err)
	}
	return &pb.Empty{}, nil
}

func (s *hostService) GetSettings(ctx context.Context, req *pb.SettingsRequest) (*pb.Settings, error) {
	e, err := s.scope(req.Scope, "settings")
	if err != nil {
		return nil, err
	}
	v, err := modules.GetSettings(s.rt.h.DB.WithContext(ctx), s.in.ID(), e.tenant)
	if err != nil {
		return nil, status.Error(codes.Internal, "reading settings failed")
	}
	return &pb.Settings{Values: v}, nil
}

func (s *hostService) PutSettings(ctx context.Context, req *pb.Settings) (*pb.Empty, error) {
	e, err := s.scope(req.Scope, "settings")
	if err != nil {
		return nil, err
	}
	if !json.Valid(req.Values) {
		return nil, status.Error(codes.InvalidArgument, "settings must be a JSON object")
	}
	if err := modules.PutSettings(s.rt.h.DB.WithContext(ctx), s.in.ID(), e.tenant, req.Values); err != nil {
		return nil, status.Error(codes.Internal, "saving settings failed")
	}
	return &pb.Empty{}, nil
}

func (s *hostService) Log(ctx context.Context, rec *pb.LogRecord) (*pb.Empty, error) {
	e, err := s.scope(rec.Scope, "log")
	if err != nil {
		return nil, err
	}
	level := slog.LevelInfo
	_ = level.UnmarshalText([]byte(rec.Level))
	attrs := []any{"plugin", s.in.ID(), "request_id", e.requestID, "tenant", e.tenant}
	if len(rec.Attrs) > 0 {
		var m map[string]any
		if json.Unmarshal(rec.Attrs, &m) == nil {
			for k, v := range m {
				attrs = append(attrs, k, v)
			}
		}
	}
	s.rt.log.Log(ctx, level, rec.Message, attrs...)
	return &pb.Empty{}, nil
}

func (s *hostService) Call(req *pb.HTTPRequest, stream grpc.ServerStreamingServer[pb.HTTPResponsePart]) error {
	e, err := s.scope(req.Scope, "call")
	if err != nil {
		return err
	}
	return s.rt.callBounded(stream.Context(), e, req, func(p *pb.HTTPResponsePart) error { return stream.Send(p) })
}

// callBounded is Runtime.call for a plugin's Call, refusing chains deeper
// than maxCallDepth with 508 call_depth_exceeded: plugins calling each
// other in a loop would otherwise hold a goroutine, a stream and a scope
// per hop until the first caller's timeout.
func (rt *Runtime) callBounded(ctx context.Context, from *scopeEntry, req *pb.HTTPRequest, out func(*pb.HTTPResponsePart) error) error {
	if from.depth >= maxCallDepth {
		body, _ := json.Marshal(map[string]any{"error": map[string]string{"code": "call_depth_exceeded",
			"message": fmt.Sprintf("plugin calls nest at most %d deep", maxCallDepth)}})
		return out(&pb.HTTPResponsePart{Head: &pb.HTTPResponseHead{Status: http.StatusLoopDetected,
			Headers: []*pb.Header{{Name: "Content-Type", Values: []string{"application/json"}}}}, Body: body})
	}
	return rt.call(ctx, from, req, out)
}

// maxCallDepth bounds chains of plugins calling plugins.
const maxCallDepth = 4

// Tenants answers with public facts of the region tree around the scope's
// tenant: names for letterheads and portals, and where modules are enabled.
func (s *hostService) Tenants(ctx context.Context, req *pb.TenantsRequest) (*pb.TenantsResponse, error) {
	e, err := s.scope(req.Scope, "tenants")
	if err != nil {
		return nil, err
	}
	db := s.rt.h.DB.WithContext(ctx)
	chain := tenancy.Ancestors(e.tenant)
	slices.Reverse(chain) // from the province down
	chain = append(chain, e.tenant)
	var rows []tenancy.Tenant
	if err := db.Where("code IN ?", chain).Find(&rows).Error; err != nil {
		return nil, status.Error(codes.Internal, "reading tenants failed")
	}
	var ids []string
	if req.Modules {
		for _, in := range s.rt.Instances() {
			ids = append(ids, in.ID())
		}
		slices.Sort(ids)
	}
	info := func(t *tenancy.Tenant) *pb.TenantInfo {
		ti := &pb.TenantInfo{Code: t.Code, Name: t.Name, Level: string(t.Level)}
		if t.Parent != nil {
			ti.Parent = *t.Parent
		}
		for _, id := range ids {
			if s.rt.modules.Enabled(t.Code, id) {
				ti.Modules = append(ti.Modules, id)
			}
		}
		return ti
	}
	byCode := map[string]*tenancy.Tenant{}
	for i := range rows {
		byCode[rows[i].Code] = &rows[i]
	}
	out := &pb.TenantsResponse{}
	for _, c := range chain {
		t, ok := byCode[c]
		if !ok {
			continue
		}
		if c == e.tenant {
			out.Tenant = info(t)
		} else {
			out.Ancestors = append(out.Ancestors, info(t))
		}
	}
	if req.Descendants {
		where, args := tenancy.SubtreeClause("code", []string{e.tenant})
		q := db.Where(where+" AND code <> ?", append(args, e.tenant)...)
		if req.Level != "" {
			q = q.Where("level = ?", req.Level)
		}
		var below []tenancy.Tenant
		if err := q.Order("code").Find(&below).Error; err != nil {
			return nil, status.Error(codes.Internal, "reading tenants failed")
		}
		for i := range below {
			out.Descendants = append(out.Descendants, info(&below[i]))
		}
	}
	return out, nil
}

// mayUse reports whether the call may exercise perm: a call the host
// makes for a user or its operator may use whatever they hold; a plugin's
// call to another plugin only what Runtime.callLimit allows.
func (c *call) mayUse(perm string) bool { return c.may == nil || c.may(perm) }

// callLimit is what a plugin serving the request of scope from may use
// when it calls another plugin: its own permissions and those its
// manifest declares in uses, and, when from is itself a call from another
// plugin, no more than that one was allowed. A plugin thus never exercises
// more of its user's permissions than every plugin on the way said it
// would.
func (rt *Runtime) callLimit(from *scopeEntry) func(string) bool {
	var uses []string
	if in, ok := rt.Get(from.plugin); ok {
		if m := in.Manifest(); m != nil {
			uses = m.Uses
		}
	}
	own, outer := from.plugin+".", from.may
	return func(perm string) bool {
		if !strings.HasPrefix(perm, own) && !slices.Contains(uses, perm) {
			return false
		}
		return outer == nil || outer(perm)
	}
}
