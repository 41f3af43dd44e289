package sdk

import (
	"io"
	"mime"
	"net/http"
)

// ParseMultipartForm is r.ParseMultipartForm(maxMemory) for a plugin
// handler, which must use it instead: file parts beyond maxMemory bytes go
// to temporary files, which net/http's server removes after its handler
// but which nothing removes in a plugin, whose requests come over gRPC.
// The files parsed here are removed when the call ends (a page or route
// handler's return). Errors are r.ParseMultipartForm's, unchanged
// (http.ErrNotMultipart for a body that is not multipart).
func ParseMultipartForm(r *http.Request, maxMemory int64) error {
	err := r.ParseMultipartForm(maxMemory)
	if r.MultipartForm != nil {
		if req, ok := r.Context().Value(ctxKey{}).(*Request); ok {
			req.formsMu.Lock()
			req.forms = append(req.forms, r.MultipartForm)
			req.formsMu.Unlock()
		}
	}
	return err
}

// removeForms removes the temporary files of the forms parsed during req.
func (req *Request) removeForms() {
	req.formsMu.Lock()
	defer req.formsMu.Unlock()
	for _, f := range req.forms {
		_ = f.RemoveAll()
	}
	req.forms = nil
}

// UploadBody finds the file a request uploads: the first file part of a
// multipart/form-data body (a browser's form, curl -F), or else the body
// itself (curl --data-binary), named field then. It answers the reader
// and the file's name as the client gave it, to pass on to PutFile; the
// route's MaxBodyBytes and PutFile's rules bound what is read. A
// multipart body that cannot be read, or that has no file part, is an
// *Error 400 CodeMalformedForm whose message names field, the form field
// the route documents.
func UploadBody(r *http.Request, field string) (io.Reader, string, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return r.Body, field, nil
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", Errorf(http.StatusBadRequest, CodeMalformedForm, "the multipart form cannot be read: %v", err)
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, "", Errorf(http.StatusBadRequest, CodeMalformedForm, "the form has no file part: send the file as the field %s", field)
		}
		if err != nil {
			return nil, "", Errorf(http.StatusBadRequest, CodeMalformedForm, "the multipart form cannot be read: %v", err)
		}
		if part.FileName() != "" {
			return part, part.FileName(), nil
		}
	}
}
