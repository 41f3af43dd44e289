package sdktest_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/sdktest"
)

// PutEvidence keeps a PDF or a photo of a paper with its name, type, size
// and hash, and refuses another type (415) or a file over 5 MiB (413) with
// the documented codes; an unusable name becomes "bukti".
func TestPutEvidence(t *testing.T) {
	p := &sdk.Plugin{ID: "proof", Version: "1",
		Permissions: []sdk.Permission{{Name: "proof.entries.write", Roles: []string{"operator"}}},
		Routes: []sdk.Route{{Method: "POST", Path: "/evidence", Permission: "proof.entries.write", MaxBodyBytes: sdk.MaxEvidenceBytes + 1<<20,
			Handler: sdk.Func(func(r *http.Request) (int, any, error) {
				ev, err := sdk.From(r).PutEvidence(r.Context(), r.URL.Query().Get("name"), io.Reader(r.Body))
				if err != nil {
					return 0, nil, err
				}
				return http.StatusCreated, ev, nil
			})}},
	}
	sdktest.Each(t, p, func(t *testing.T, h *sdktest.Host) {
		h.Tenant("14.01.01.2001")
		h.Enable("14.01")
		op := h.User("op-a", "operator", "14.01.01.2001")
		pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		var ev sdk.Evidence
		res := op.Post("14.01.01.2001", "/evidence?name=kuitansi.pdf", pdf)
		if res.Status != http.StatusCreated {
			t.Fatalf("a PDF: %d %s", res.Status, res.Body)
		}
		if res.JSON(&ev); ev.File == "" || ev.Name != "kuitansi.pdf" || ev.ContentType != "application/pdf" || ev.Size != int64(len(pdf)) || len(ev.SHA256) != 64 {
			t.Errorf("a PDF kept as %+v", ev)
		}
		res = op.Post("14.01.01.2001", "/evidence?name="+strings.Repeat("a", 200)+".pdf", pdf)
		if ev = (sdk.Evidence{}); res.Status == http.StatusCreated {
			res.JSON(&ev)
		}
		if res.Status != http.StatusCreated || ev.Name != "bukti" {
			t.Errorf("an unusable name: %d %s", res.Status, res.Body)
		}
		for _, tc := range []struct {
			name   string
			body   []byte
			status int
			code   sdk.Code
		}{
			{"text", []byte("bukan bukti"), http.StatusUnsupportedMediaType, sdk.CodeEvidenceTypeNotAccepted},
			{"over 5 MiB", append(append([]byte{}, pdf...), bytes.Repeat([]byte(" "), sdk.MaxEvidenceBytes)...), http.StatusRequestEntityTooLarge, sdk.CodeEvidenceTooLarge},
		} {
			if res := op.Post("14.01.01.2001", "/evidence?name=x.pdf", tc.body); res.Status != tc.status || res.ErrorCode() != tc.code {
				t.Errorf("%s: %d %s, want %d %s", tc.name, res.Status, res.Body, tc.status, tc.code)
			}
		}
	})
}
