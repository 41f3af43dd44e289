package sdktest_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"os"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// A file part larger than a form's memory limit goes to a temporary file;
// net/http's server would remove it after the handler, but a plugin's
// requests come over gRPC, so sdk.ParseMultipartForm must: after the call
// the file is gone (the security review found public photo forms filling
// TMPDIR).
func TestParseMultipartFormRemovesTemporaryFiles(t *testing.T) {
	var spilled string
	p := &sdk.Plugin{ID: "upload", Version: "1",
		Routes: []sdk.Route{{Method: "POST", Path: "/photo", Public: true, MaxBodyBytes: 1 << 20, Handler: sdk.Func(func(r *http.Request) (int, any, error) {
			if err := sdk.ParseMultipartForm(r, 1024); err != nil {
				return 0, nil, err
			}
			f, err := r.MultipartForm.File["photo"][0].Open()
			if err != nil {
				return 0, nil, err
			}
			defer f.Close()
			if osf, ok := f.(*os.File); ok {
				spilled = osf.Name()
			}
			return http.StatusOK, map[string]any{"on_disk": spilled != ""}, nil
		})}},
	}
	h := sdktest.New(t, p)
	h.Tenant("14.01.01.2001")
	h.Enable("14.01.01.2001")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("photo", "foto.jpg")
	fw.Write(bytes.Repeat([]byte("x"), 64<<10))
	mw.Close()
	req, _ := http.NewRequest("POST", h.URL()+"/api/v1/t/14.01.01.2001/upload/photo", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || spilled == "" {
		t.Fatalf("status %d, temporary file %q: the 64 KiB part should have gone to disk", res.StatusCode, spilled)
	}
	if _, err := os.Stat(spilled); !os.IsNotExist(err) {
		t.Errorf("%s is still there after the call (%v)", spilled, err)
	}
}
