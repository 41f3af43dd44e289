package sdk

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
)

// multipartBody is a form with the given text fields, then the files
// (field, file name, content) in order.
func multipartBody(fields [][2]string, files [][3]string) (string, *bytes.Buffer) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, f := range fields {
		w.WriteField(f[0], f[1])
	}
	for _, f := range files {
		fw, _ := w.CreateFormFile(f[0], f[1])
		fw.Write([]byte(f[2]))
	}
	w.Close()
	return w.FormDataContentType(), &b
}

func TestUploadBody(t *testing.T) {
	formType, withFile := multipartBody([][2]string{{"csrf_token", "t"}, {"caption", "Jalan"}}, [][3]string{{"photo", "jalan.jpg", "JPEGDATA"}, {"photo", "b.jpg", "SECOND"}})
	noFileType, noFile := multipartBody([][2]string{{"csrf_token", "t"}}, nil)
	cases := []struct {
		name, ctype, body    string
		wantName, wantData   string
		wantErr, wantMessage string
	}{
		{"raw body", "image/jpeg", "RAWJPEG", "photo", "RAWJPEG", "", ""},
		{"no content type", "", "RAW", "photo", "RAW", "", ""},
		{"first file part", formType, withFile.String(), "jalan.jpg", "JPEGDATA", "", ""},
		{"form without a file", noFileType, noFile.String(), "", "", "malformed_form", "send the file as the field photo"},
		{"no boundary", "multipart/form-data", "x", "", "", "malformed_form", "cannot be read"},
		{"broken form", formType, "--nonsense\r\n", "", "", "malformed_form", "cannot be read"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/photos", strings.NewReader(c.body))
			if c.ctype != "" {
				r.Header.Set("Content-Type", c.ctype)
			}
			body, name, err := UploadBody(r, "photo")
			if c.wantErr != "" {
				var e *Error
				if !errors.As(err, &e) || e.Code != Code(c.wantErr) || e.Status != 400 || !strings.Contains(e.Message, c.wantMessage) {
					t.Fatalf("error %v, want %s 400 saying %q", err, c.wantErr, c.wantMessage)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(body)
			if name != c.wantName || string(data) != c.wantData {
				t.Errorf("got %q %q, want %q %q", name, data, c.wantName, c.wantData)
			}
		})
	}
}
