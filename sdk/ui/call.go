package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Tr is id or en, by the page's language (Info(r).Lang; Bahasa Indonesia
// unless the user chose English).
func Tr(r *http.Request, id, en string) string {
	if Info(r).Lang == "en" {
		return en
	}
	return id
}

// CallAPI runs one of the plugin's own API handlers (the function
// sdk.Func adapts) for the page request r, as method with query q and
// body (JSON-encoded; nil for none), setting path values from name, value
// pairs: CallAPI(r, getResident, "GET", nil, nil, "id", id). It is how a
// screen reaches the plugin's rules, checks and audit: the API's own
// functions, never a copy. The answer is the handler's: status, value,
// error (an *sdk.Error for the client's mistakes; FormErrors reads it).
func CallAPI(r *http.Request, fn func(*http.Request) (int, any, error), method string, q url.Values, body any, pathValues ...string) (int, any, error) {
	r2 := r.Clone(r.Context())
	r2.Method = method
	u := *r.URL
	u.RawQuery = q.Encode()
	r2.URL = &u
	r2.Body = http.NoBody
	r2.ContentLength = 0
	r2.Header = r.Header.Clone()
	r2.Header.Del("Content-Type")
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, fmt.Errorf("encoding a page's request: %w", err)
		}
		r2.Body = io.NopCloser(bytes.NewReader(b))
		r2.ContentLength = int64(len(b))
		r2.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(pathValues); i += 2 {
		r2.SetPathValue(pathValues[i], pathValues[i+1])
	}
	return fn(r2)
}
