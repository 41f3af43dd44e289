// Package letterread reads back what the services plugin prints, for the
// tests beside the plugin and the end-to-end tests alike: the text a letter
// PDF shows and the payload of its QR code.
package letterread

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // an emblem may be embedded as JPEG
	_ "image/png"  // the QR code is embedded as PNG
	"io"
	"regexp"
	"strconv"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

func init() { api.DisableConfigDir() }

// Lines returns the text a PDF shows, one string per text-showing
// operator: fpdf writes each line of a paragraph as one "(...) Tj".
func Lines(pdf []byte) ([]string, error) {
	var lines []string
	err := api.ExtractContent(bytes.NewReader(pdf), nil, func(r io.Reader, _ int) error {
		content, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		lines = append(lines, showStrings(content)...)
		return nil
	}, model.NewDefaultConfiguration())
	if err != nil {
		return nil, fmt.Errorf("reading the PDF: %w", err)
	}
	return lines, nil
}

// Placed is something a page draws, in points from the page's lower left
// corner: an image (X, Y, W, H of its box) or a line of text (X, Y of its
// start, Text).
type Placed struct {
	Page       int
	X, Y, W, H float64
	Text       string
}

var (
	drawImage = regexp.MustCompile(`q ([0-9.]+) 0 0 ([0-9.]+) ([0-9.]+) ([0-9.]+) cm /\S+ Do Q`)
	drawText  = regexp.MustCompile(`BT ([0-9.]+) ([0-9.]+) Td \(((?:[^()\\]|\\.)*)\)Tj ET`)
)

// Placements lists the images and text lines a PDF as fpdf writes it
// draws, page by page, with their positions: what a test of the layout
// reads (the emblem beside the letterhead, not under it).
func Placements(pdf []byte) (images, texts []Placed, err error) {
	page := 0
	err = api.ExtractContent(bytes.NewReader(pdf), nil, func(r io.Reader, _ int) error {
		page++
		content, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		num := func(b []byte) float64 { f, _ := strconv.ParseFloat(string(b), 64); return f }
		for _, m := range drawImage.FindAllSubmatch(content, -1) {
			images = append(images, Placed{Page: page, W: num(m[1]), H: num(m[2]), X: num(m[3]), Y: num(m[4])})
		}
		for _, m := range drawText.FindAllSubmatch(content, -1) {
			texts = append(texts, Placed{Page: page, X: num(m[1]), Y: num(m[2]), Text: string(m[3])})
		}
		return nil
	}, model.NewDefaultConfiguration())
	if err != nil {
		return nil, nil, fmt.Errorf("reading the PDF: %w", err)
	}
	return images, texts, nil
}

// PageSizes returns each page's MediaBox as width and height in
// millimetres (1 pt = 25.4/72 mm).
func PageSizes(pdf []byte) ([][2]float64, error) {
	boxes, err := api.Boxes(bytes.NewReader(pdf), nil, model.NewDefaultConfiguration())
	if err != nil {
		return nil, fmt.Errorf("reading the PDF's page boxes: %w", err)
	}
	out := make([][2]float64, 0, len(boxes))
	for _, b := range boxes {
		mb := b.MediaBox()
		if mb == nil {
			return nil, fmt.Errorf("a page has no MediaBox")
		}
		const mm = 25.4 / 72
		out = append(out, [2]float64{(mb.UR.X - mb.LL.X) * mm, (mb.UR.Y - mb.LL.Y) * mm})
	}
	return out, nil
}

// showStrings collects the literal strings passed to Tj in a content stream.
func showStrings(content []byte) []string {
	var out []string
	for i := 0; i < len(content); i++ {
		if content[i] != '(' {
			continue
		}
		var s []byte
		depth := 1
		j := i + 1
		for ; j < len(content) && depth > 0; j++ {
			switch c := content[j]; c {
			case '\\':
				j++
				if j < len(content) {
					s = append(s, content[j])
				}
			case '(':
				depth++
				s = append(s, c)
			case ')':
				depth--
				if depth > 0 {
					s = append(s, c)
				}
			default:
				s = append(s, c)
			}
		}
		if rest := bytes.TrimLeft(content[j:], " \n\r\t"); bytes.HasPrefix(rest, []byte("Tj")) {
			out = append(out, string(s))
		}
		i = j - 1
	}
	return out
}

// Image is one image a PDF holds, decoded.
type Image struct {
	Name string
	// Page is 1-based.
	Page int
	image.Image
}

// Images decodes every image of the PDF (PNG and JPEG), page by page.
func Images(pdf []byte) ([]Image, error) {
	pages, err := api.ExtractImagesRaw(bytes.NewReader(pdf), nil, model.NewDefaultConfiguration())
	if err != nil {
		return nil, fmt.Errorf("extracting images: %w", err)
	}
	var out []Image
	for i, imgs := range pages {
		for _, im := range imgs {
			img, _, err := image.Decode(im)
			if err != nil {
				return nil, fmt.Errorf("decoding image %s: %w", im.Name, err)
			}
			out = append(out, Image{Name: im.Name, Page: i + 1, Image: img})
		}
	}
	return out, nil
}

// QR decodes the PDF's images as QR codes and returns the text of the
// only one that is (the letterhead's emblem, if any, is not).
func QR(pdf []byte) (string, error) {
	pages, err := api.ExtractImagesRaw(bytes.NewReader(pdf), nil, model.NewDefaultConfiguration())
	if err != nil {
		return "", fmt.Errorf("extracting images: %w", err)
	}
	var found, skipped []string
	for _, imgs := range pages {
		for _, im := range imgs {
			img, _, err := image.Decode(im)
			if err != nil {
				return "", fmt.Errorf("decoding image %s: %w", im.Name, err)
			}
			bmp, err := gozxing.NewBinaryBitmapFromImage(img)
			if err != nil {
				return "", err
			}
			// The embedded image is the bare code with its quiet zone, so
			// it is read as such: zxing's finder-pattern search, meant for
			// photos, missed 2% of these clean codes and made the tests
			// flaky, while the payload check below stays exact.
			res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
			if err != nil {
				skipped = append(skipped, fmt.Sprintf("image %s is not a readable QR code: %v", im.Name, err))
				continue
			}
			found = append(found, res.GetText())
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("%d QR codes in the PDF, want 1 (%v)", len(found), skipped)
	}
	return found[0], nil
}
