package sdk

import (
	"context"
	"fmt"
	"io"
	"net/http"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

// grpcHost reaches the host's services over the go-plugin broker.
type grpcHost struct{ c pb.HostClient }

func (g *grpcHost) Storage(ctx context.Context, req *pb.StorageRequest) (*pb.StorageResponse, error) {
	return g.c.Storage(ctx, req)
}

func (g *grpcHost) Authorize(ctx context.Context, req *pb.AuthorizeRequest) (*pb.AuthorizeResponse, error) {
	return g.c.Authorize(ctx, req)
}

func (g *grpcHost) PutFile(ctx context.Context, h *pb.FileHeader, data io.Reader) (*pb.FileInfo, error) {
	// A read error cancels the stream: closing it instead would tell the
	// host the file is complete, and it would store a truncated one (a
	// request body cut short at the host's limit, say).
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := g.c.PutFile(ctx)
	if err != nil {
		return nil, err
	}
	if err := stream.Send(&pb.FilePart{Header: h}); err != nil {
		return nil, err
	}
	buf := make([]byte, pb.ChunkSize)
	for {
		n, rerr := data.Read(buf)
		if n > 0 {
			if err := stream.Send(&pb.FilePart{Data: append([]byte(nil), buf[:n]...)}); err != nil {
				break // the host's answer below says why
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			cancel()
			return nil, fmt.Errorf("reading file data: %w", rerr)
		}
	}
	return stream.CloseAndRecv()
}

func (g *grpcHost) GetFile(ctx context.Context, ref *pb.FileRef) (*pb.FileInfo, io.ReadCloser, error) {
	ctx, cancel := context.WithCancel(ctx)
	stream, err := g.c.GetFile(ctx, ref)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	first, err := stream.Recv()
	if err != nil {
		cancel()
		return nil, nil, err
	}
	r := pb.NewChunkReader(first.Data, func() ([]byte, error) {
		p, err := stream.Recv()
		if err != nil {
			return nil, err
		}
		return p.Data, nil
	})
	return first.Info, &cancelReader{Reader: r, cancel: cancel}, nil
}

type cancelReader struct {
	io.Reader
	cancel func()
}

func (c *cancelReader) Close() error { c.cancel(); return nil }

func (g *grpcHost) DeleteFile(ctx context.Context, ref *pb.FileRef) error {
	_, err := g.c.DeleteFile(ctx, ref)
	return err
}

func (g *grpcHost) Call(ctx context.Context, req *pb.HTTPRequest, body io.Reader) (*http.Response, error) {
	if body != nil {
		b, err := io.ReadAll(body)
		if err != nil {
			return nil, err
		}
		req.Body = b
	}
	ctx, cancel := context.WithCancel(ctx)
	stream, err := g.c.Call(ctx, req)
	if err != nil {
		cancel()
		return nil, err
	}
	return readResponse(stream.Recv, cancel)
}

// readResponse assembles an *http.Response from response parts.
func readResponse(recv func() (*pb.HTTPResponsePart, error), cancel func()) (*http.Response, error) {
	first, err := recv()
	if err != nil {
		cancel()
		return nil, err
	}
	if first.Head == nil {
		cancel()
		return nil, fmt.Errorf("response without a head")
	}
	res := &http.Response{StatusCode: int(first.Head.Status), Header: http.Header{}, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	res.Status = fmt.Sprintf("%d %s", res.StatusCode, http.StatusText(res.StatusCode))
	for _, h := range first.Head.Headers {
		res.Header[h.Name] = h.Values
	}
	r := pb.NewChunkReader(first.Body, func() ([]byte, error) {
		p, err := recv()
		if err != nil {
			return nil, err
		}
		return p.Body, nil
	})
	res.Body = &cancelReader{Reader: r, cancel: cancel}
	return res, nil
}

func (g *grpcHost) GetSettings(ctx context.Context, scope *pb.Scope) ([]byte, error) {
	s, err := g.c.GetSettings(ctx, &pb.SettingsRequest{Scope: scope})
	if err != nil {
		return nil, err
	}
	return s.Values, nil
}

func (g *grpcHost) PutSettings(ctx context.Context, scope *pb.Scope, values []byte) error {
	_, err := g.c.PutSettings(ctx, &pb.Settings{Scope: scope, Values: values})
	return err
}

func (g *grpcHost) Log(ctx context.Context, rec *pb.LogRecord) error {
	_, err := g.c.Log(ctx, rec)
	return err
}

func (g *grpcHost) Tenants(ctx context.Context, req *pb.TenantsRequest) (*pb.TenantsResponse, error) {
	return g.c.Tenants(ctx, req)
}
