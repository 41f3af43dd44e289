package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strconv"

	"github.com/balaidesa/balai/sdk"
)

// The bounds of a letterhead emblem (the regency's lambang, or a
// village's own). It prints about 25 mm tall beside the letterhead text:
// 300 pixels is 300 dpi there, so 1200 is plenty and 48 the least that
// prints recognisably. The bytes bound keeps the settings, which carry the
// emblem to every village below, small.
const (
	maxEmblemBytes  = 512 << 10
	minEmblemPixels = 48
	maxEmblemPixels = 1200
	// emblemSlack lets a form upload's boundaries through the route's
	// body limit; the image itself is held to maxEmblemBytes.
	emblemSlack = 64 << 10
)

// emblemTypes are what the PDF printer draws (fpdf: PNG and JPEG); the
// host sniffs the data and refuses anything else.
var emblemTypes = []string{"image/png", "image/jpeg"}

// Emblem is the letterhead's emblem as the settings carry it. It is
// uploaded through the host's files (PUT /settings/emblem: the host sniffs
// the type and bounds the size, and keeps the original as File in Tenant);
// the settings hold the image itself (Data, base64 in JSON) because the
// host hands a village the settings of the tenants above it, while a file
// stays readable in its own tenant only: so an emblem set at the regency
// prints on the letters of every village that follows the regency's
// emblem, and a village that saves its own settings keeps the emblem it
// inherited until it uploads or removes one. The emblem is one settings
// key, inherited whole: its Data, ContentType and size always come from
// the same upload.
type Emblem struct {
	// File is the uploaded original's id in the host's files of Tenant.
	File   string `json:"file"`
	Tenant string `json:"tenant"`
	// ContentType is image/png or image/jpeg: what Data is.
	ContentType string `json:"content_type"`
	// Width and Height are in pixels.
	Width  int `json:"width"`
	Height int `json:"height"`
	// SHA256 is Data's hash, in hex (the served image's ETag).
	SHA256 string `json:"sha256"`
	// Data is the image as printed: a JPEG as uploaded, a PNG re-encoded
	// as 8-bit non-interlaced (what the printer reads).
	Data []byte `json:"data,omitempty"`
}

// emblemView is the emblem in GET /settings answers: everything but the
// image, which GET /settings/emblem serves.
type emblemView struct {
	Tenant      string `json:"tenant"`
	ContentType string `json:"content_type"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	SHA256      string `json:"sha256"`
	URL         string `json:"url"`
}

func (e *Emblem) view(tenant string) *emblemView {
	if e == nil || len(e.Data) == 0 {
		return nil
	}
	// The hash in the address makes a new emblem a new URL for caches.
	v := e.SHA256
	if len(v) > 12 {
		v = v[:12]
	}
	return &emblemView{Tenant: e.Tenant, ContentType: e.ContentType, Width: e.Width, Height: e.Height, SHA256: e.SHA256,
		URL: "/api/v1/t/" + tenant + "/services/settings/emblem?v=" + v}
}

// checkEmblem decodes an uploaded image and returns what prints: its
// type, size and the bytes the printer gets. Errors are the API's.
func checkEmblem(data []byte) (contentType string, w, h int, out []byte, err error) {
	notImage := func(why string) error {
		return sdk.Errorf(http.StatusUnsupportedMediaType, codeEmblemNotAnImage, "the emblem must be a PNG or JPEG image: %s", why)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", 0, 0, nil, notImage(err.Error())
	}
	if cfg.Width < minEmblemPixels || cfg.Height < minEmblemPixels || cfg.Width > maxEmblemPixels || cfg.Height > maxEmblemPixels {
		return "", 0, 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeEmblemDimensions,
			"the emblem is %d x %d pixels: each side must be %d to %d pixels", cfg.Width, cfg.Height, minEmblemPixels, maxEmblemPixels)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return "", 0, 0, nil, notImage(err.Error())
	}
	switch format {
	case "jpeg":
		return "image/jpeg", cfg.Width, cfg.Height, data, nil
	case "png":
		// The printer reads 8-bit, non-interlaced PNG only: drawn again
		// onto NRGBA, which Go's encoder writes so (RGB when opaque).
		n := image.NewNRGBA(img.Bounds())
		draw.Draw(n, n.Bounds(), img, img.Bounds().Min, draw.Src)
		var buf bytes.Buffer
		if err := png.Encode(&buf, n); err != nil {
			return "", 0, 0, nil, err
		}
		if buf.Len() > 2*maxEmblemBytes {
			return "", 0, 0, nil, emblemTooLarge()
		}
		return "image/png", cfg.Width, cfg.Height, buf.Bytes(), nil
	}
	return "", 0, 0, nil, notImage("it is " + format)
}

var _ = jpeg.Decode // image/jpeg registers the JPEG decoder

func emblemTooLarge() error {
	return sdk.Errorf(http.StatusRequestEntityTooLarge, codeEmblemTooLarge, "the emblem is at most %d bytes (%d KiB)", maxEmblemBytes, maxEmblemBytes>>10)
}

// putEmblem stores the letterhead's emblem of this tenant (and of the
// tenants below that follow its settings): PUT /settings/emblem with the
// image as the body, or a multipart form with it as the file part.
func putEmblem(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	if r.ContentLength > maxEmblemBytes+emblemSlack {
		return 0, nil, emblemTooLarge()
	}
	body, name, err := sdk.UploadBody(r, "emblem")
	if err != nil {
		return 0, nil, err
	}
	f, err := req.PutFile(ctx, name, body, sdk.FileRules{Accept: emblemTypes, MaxBytes: maxEmblemBytes})
	var se *sdk.Error
	switch {
	case errors.Is(err, sdk.ErrInvalid) && errors.As(err, &se):
		return 0, nil, sdk.Errorf(http.StatusUnsupportedMediaType, codeEmblemNotAnImage, "the emblem must be a PNG or JPEG image: %s", se.Message)
	case errors.Is(err, sdk.ErrTooLarge):
		return 0, nil, emblemTooLarge()
	case err != nil:
		return 0, nil, fmt.Errorf("storing the emblem: %w", err)
	}
	drop := func() {
		if derr := req.DeleteFile(ctx, f.ID); derr != nil {
			sdk.Logf(ctx, "warn", "emblem file %s left unreferenced: %v", f.ID, derr)
		}
	}
	// Read back what the host stored (sniffed, bounded), and check it
	// decodes and fits.
	_, rc, err := req.OpenFile(ctx, f.ID)
	if err != nil {
		drop()
		return 0, nil, err
	}
	data, err := io.ReadAll(io.LimitReader(rc, maxEmblemBytes+1))
	rc.Close()
	if err != nil {
		drop()
		return 0, nil, err
	}
	ct, w, h, printed, err := checkEmblem(data)
	if err != nil {
		drop()
		return 0, nil, err
	}
	sum := sha256.Sum256(printed)
	s, _, err := loadSettings(ctx, req)
	if err != nil {
		drop()
		return 0, nil, err
	}
	old := s.Emblem
	s.Emblem = &Emblem{File: f.ID, Tenant: req.Tenant, ContentType: ct, Width: w, Height: h, SHA256: hex.EncodeToString(sum[:]), Data: printed}
	status, view, err := saveSettings(r, s, "emblem")
	if err != nil {
		drop()
		return 0, nil, err
	}
	dropOld(r, old)
	return status, view, nil
}

// dropOld removes the original of a replaced emblem, if this tenant
// uploaded it (an inherited one is the tenant's above).
func dropOld(r *http.Request, old *Emblem) {
	req := sdk.From(r)
	if old == nil || old.Tenant != req.Tenant || old.File == "" {
		return
	}
	if err := req.DeleteFile(r.Context(), old.File); err != nil && !errors.Is(err, sdk.ErrNotFound) {
		sdk.Logf(r.Context(), "warn", "replaced emblem file %s not removed: %v", old.File, err)
	}
}

// deleteEmblem removes the emblem from this tenant's settings: its
// letters print without one (saved as this tenant's own settings, so an
// emblem above no longer applies).
func deleteEmblem(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	s, _, err := loadSettings(r.Context(), req)
	if err != nil {
		return 0, nil, err
	}
	old := s.Emblem
	s.Emblem = nil
	status, view, err := saveSettings(r, s, "emblem")
	if err != nil {
		return 0, nil, err
	}
	dropOld(r, old)
	return status, view, nil
}

// serveEmblem answers the emblem the tenant's letters print (its own or
// inherited): public, as it is on every letter.
func serveEmblem(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	var s Settings
	if err := req.Settings(r.Context(), &s); err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	e := s.Emblem
	if e == nil || len(e.Data) == 0 {
		sdk.FailErr(w, r, sdk.Errorf(http.StatusNotFound, codeEmblemNotFound, "%s has no letterhead emblem: upload one with PUT /settings/emblem", req.Tenant))
		return
	}
	etag := `"` + e.SHA256 + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=3600")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", e.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(e.Data)))
	w.WriteHeader(http.StatusOK)
	w.Write(e.Data)
}
