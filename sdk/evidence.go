package sdk

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/balaidesa/balai/sdk/input"
)

// Evidence is a stored document that proves an entry (the receipt of a
// budget payment, the report behind a quarter's achievement), as a
// record keeps it: the host's file id, the name the clerk gave it (or
// "bukti" when that name is unusable), its sniffed type, size in bytes and
// SHA-256 in hex.
type Evidence struct {
	File        string `json:"file"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// EvidenceTypes are the types PutEvidence accepts: a scan or photo of a
// paper document (JPEG, PNG, WebP) or a PDF, what village offices produce.
var EvidenceTypes = []string{"application/pdf", "image/jpeg", "image/png", "image/webp"}

// MaxEvidenceBytes is the largest evidence PutEvidence accepts: 5 MiB, a
// phone photo or a few scanned pages. A route taking evidence sets its
// MaxBodyBytes above it.
const MaxEvidenceBytes = 5 << 20

// Error codes of PutEvidence.
const (
	// CodeEvidenceTypeNotAccepted: the file is not one of EvidenceTypes
	// (415).
	CodeEvidenceTypeNotAccepted Code = "evidence_type_not_accepted"
	// CodeEvidenceTooLarge: the file is over MaxEvidenceBytes (413).
	CodeEvidenceTooLarge Code = "evidence_too_large"
)

// PutEvidence stores an uploaded evidence file in the tenant's files and
// answers how a record keeps it. A file of another type is an *Error 415
// CodeEvidenceTypeNotAccepted, one over MaxEvidenceBytes 413
// CodeEvidenceTooLarge; other errors are PutFile's.
func (r *Request) PutEvidence(ctx context.Context, name string, data io.Reader) (*Evidence, error) {
	f, err := r.PutFile(ctx, name, data, FileRules{Accept: EvidenceTypes, MaxBytes: MaxEvidenceBytes})
	switch {
	case errors.Is(err, ErrInvalid):
		return nil, Errorf(http.StatusUnsupportedMediaType, CodeEvidenceTypeNotAccepted, "the evidence must be a PDF, JPEG, PNG or WebP file")
	case errors.Is(err, ErrTooLarge):
		return nil, Errorf(http.StatusRequestEntityTooLarge, CodeEvidenceTooLarge, "the evidence is over %d MiB", MaxEvidenceBytes>>20)
	case err != nil:
		return nil, err
	}
	if input.Name(name, 120) != nil {
		name = "bukti"
	}
	return &Evidence{File: f.ID, Name: name, ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256}, nil
}
