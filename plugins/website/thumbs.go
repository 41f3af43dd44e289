package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/thumb"
)

// makeThumb stores a JPEG thumbnail (sdk/thumb, 320 px wide) of the stored
// photo id and returns its file id; "" with no error when the photo cannot
// be made into one (a WebP, which the standard library does not decode, or
// a huge image): pages then show the photo itself.
func makeThumb(ctx context.Context, req *sdk.Request, id string) (string, error) {
	_, rc, err := req.OpenFile(ctx, id)
	if err != nil {
		return "", fmt.Errorf("reading photo %s: %w", id, err)
	}
	data, err := io.ReadAll(io.LimitReader(rc, maxPhotoBytes+1))
	rc.Close()
	if err != nil {
		return "", fmt.Errorf("reading photo %s: %w", id, err)
	}
	small, err := thumb.JPEG(ctx, data, thumb.Width)
	if errors.Is(err, thumb.ErrUnsupported) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("the thumbnail of %s: %w", id, err)
	}
	f, err := req.PutFile(ctx, "thumb.jpg", bytes.NewReader(small), sdk.FileRules{Accept: []string{"image/jpeg"}, MaxBytes: maxPhotoBytes})
	if err != nil {
		return "", fmt.Errorf("storing the thumbnail of %s: %w", id, err)
	}
	return f.ID, nil
}
