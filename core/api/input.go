package api

import (
	"net/http"
	"net/url"
	"unicode"

	"github.com/balaidesa/balai/core/apierr"
	"github.com/balaidesa/balai/sdk/input"
)

// checkInput refuses, before any handler of the host or a plugin runs, a
// request whose path or query string (after percent-decoding) holds
// invalid UTF-8, a NUL or another control character: 400 invalid_text.
// Such text cannot be a tenant code, a username, a search or a filter;
// PostgreSQL would refuse it with an error answered as 500, and SQLite
// would compare or store it as it is. A query string that cannot be
// decoded at all (a stray %) is 400 invalid_query rather than silently
// read as if the broken pair were not there.
func checkInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkRequestText(r); err != nil {
			WriteError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func checkRequestText(r *http.Request) error {
	if bad := badText(r.URL.Path); bad != "" {
		return apierr.BadRequest("invalid_text", "the path %s", bad)
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return apierr.BadRequest("invalid_query", "the query string cannot be decoded: %v", err)
	}
	for key, values := range q {
		if bad := badText(key); bad != "" {
			return apierr.BadRequest("invalid_text", "a query parameter's name %s", bad)
		}
		for _, v := range values {
			if bad := badText(v); bad != "" {
				return apierr.BadRequest("invalid_text", "query parameter %q %s", key, bad)
			}
		}
	}
	return nil
}

// badText says what is wrong with s as part of a URL, or "" when nothing.
// The message never repeats s: it may be anything.
func badText(s string) string {
	if err := input.Clean(s); err != nil {
		return err.Error()
	}
	for _, c := range s {
		if unicode.IsControl(c) {
			return "holds a control character"
		}
	}
	return ""
}
