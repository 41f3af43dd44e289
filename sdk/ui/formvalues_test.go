package ui

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
)

func TestFormValues(t *testing.T) {
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	mw.WriteField("csrf_token", "t")
	mw.WriteField("description", "Jalan rusak")
	fw, _ := mw.CreateFormFile("photo", "jalan.jpg")
	fw.Write([]byte("JPEG"))
	mw.Close()
	cases := []struct {
		name, ctype, body string
		want              url.Values
		file              string // the photo's content, when one is sent
		wantErr           bool
	}{
		{"url-encoded", "application/x-www-form-urlencoded", "description=Jalan+rusak&place=RT+03",
			url.Values{"description": {"Jalan rusak"}, "place": {"RT 03"}}, "", false},
		{"multipart: values, the file apart", mw.FormDataContentType(), mp.String(),
			url.Values{"csrf_token": {"t"}, "description": {"Jalan rusak"}}, "JPEG", false},
		{"broken multipart", "multipart/form-data; boundary=x", "--x\r\nnonsense", nil, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/lapor", strings.NewReader(c.body))
			r.Header.Set("Content-Type", c.ctype)
			got, err := FormValues(r, 1<<20)
			if c.wantErr {
				var e *sdk.Error
				if !errors.As(err, &e) || e.Status != 400 || e.Code != sdk.CodeMalformedForm {
					t.Fatalf("error %v, want 400 malformed_form", err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, c.want) {
				t.Fatalf("%v %v, want %v", got, err, c.want)
			}
			if c.file != "" {
				f, _, err := r.FormFile("photo")
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(f)
				if string(b) != c.file {
					t.Errorf("the file read %q", b)
				}
			}
		})
	}
}
