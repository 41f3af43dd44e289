package sdk

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
)

var stderr io.Writer = os.Stderr

// JSON writes v as a JSON response.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Fail writes an error in Balai's documented shape
// {"error":{"code":"...","message":"..."}}.
func Fail(w http.ResponseWriter, status int, code, message string) {
	JSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": message}})
}

// FailErr maps a storage error to its HTTP status, and anything else to a
// 500 whose details stay in the log.
func FailErr(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	if errors.As(err, &e) {
		status := map[string]int{"not_found": 404, "conflict": 409, "duplicate": 409, "invalid": 422, "forbidden": 403}[e.Code]
		if status == 0 {
			status = 500
		}
		Fail(w, status, e.Code, e.Message)
		return
	}
	Logf(r.Context(), "error", "%s %s: %v", r.Method, r.URL.Path, err)
	Fail(w, http.StatusInternalServerError, "internal", "the plugin could not complete the request")
}

// Decode reads a JSON body into v, refusing unknown fields. On failure it
// has already answered 400 and returns false.
func Decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			Fail(w, http.StatusRequestEntityTooLarge, "body_too_large", "the body is too large")
			return false
		}
		Fail(w, http.StatusBadRequest, "malformed_json", "the body is not valid JSON for this request: "+err.Error())
		return false
	}
	return true
}
