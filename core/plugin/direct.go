package plugin

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// directHost gives an in-process plugin the host services as plain calls,
// with the same scope checks as over gRPC.
type directHost struct{ s *hostService }

func (d *directHost) Storage(ctx context.Context, req *pb.StorageRequest) (*pb.StorageResponse, error) {
	return d.s.Storage(ctx, req)
}

func (d *directHost) Authorize(ctx context.Context, req *pb.AuthorizeRequest) (*pb.AuthorizeResponse, error) {
	return d.s.Authorize(ctx, req)
}

func (d *directHost) PutFile(ctx context.Context, h *pb.FileHeader, data io.Reader) (*pb.FileInfo, error) {
	e, err := d.s.scope(h.Scope, "files")
	if err != nil {
		return nil, err
	}
	f, err := d.s.rt.files.Put(d.s.in.ID(), e.tenant, h.Name, h.Accept, h.MaxBytes, data)
	if err != nil {
		return nil, fileError(err)
	}
	return fileInfo(f), nil
}

func (d *directHost) GetFile(ctx context.Context, ref *pb.FileRef) (*pb.FileInfo, io.ReadCloser, error) {
	e, err := d.s.scope(ref.Scope, "files")
	if err != nil {
		return nil, nil, err
	}
	f, r, err := d.s.rt.files.Open(d.s.in.ID(), e.tenant, ref.Id)
	if err != nil {
		return nil, nil, fileError(err)
	}
	return fileInfo(f), r, nil
}

func (d *directHost) DeleteFile(ctx context.Context, ref *pb.FileRef) error {
	_, err := d.s.DeleteFile(ctx, ref)
	return err
}

func (d *directHost) Call(ctx context.Context, req *pb.HTTPRequest, body io.Reader) (*http.Response, error) {
	e, err := d.s.scope(req.Scope, "call")
	if err != nil {
		return nil, err
	}
	if body != nil {
		if req.Body, err = io.ReadAll(body); err != nil {
			return nil, err
		}
	}
	var head *pb.HTTPResponseHead
	var buf bytes.Buffer
	err = d.s.rt.callBounded(ctx, e, req, func(p *pb.HTTPResponsePart) error {
		if p.Head != nil {
			head = p.Head
		}
		buf.Write(p.Body)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if head == nil {
		return nil, fmt.Errorf("the plugin answered without a status")
	}
	res := &http.Response{StatusCode: int(head.Status), Header: http.Header{}, Body: io.NopCloser(&buf)}
	res.Status = fmt.Sprintf("%d %s", res.StatusCode, http.StatusText(res.StatusCode))
	for _, h := range head.Headers {
		res.Header[h.Name] = h.Values
	}
	return res, nil
}

func (d *directHost) GetSettings(ctx context.Context, scope *pb.Scope) ([]byte, error) {
	s, err := d.s.GetSettings(ctx, &pb.SettingsRequest{Scope: scope})
	if err != nil {
		return nil, err
	}
	return s.Values, nil
}

func (d *directHost) PutSettings(ctx context.Context, scope *pb.Scope, values []byte) error {
	_, err := d.s.PutSettings(ctx, &pb.Settings{Scope: scope, Values: values})
	return err
}

func (d *directHost) Log(ctx context.Context, rec *pb.LogRecord) error {
	_, err := d.s.Log(ctx, rec)
	return err
}

func (d *directHost) Tenants(ctx context.Context, req *pb.TenantsRequest) (*pb.TenantsResponse, error) {
	return d.s.Tenants(ctx, req)
}
