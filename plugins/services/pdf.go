package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"time"

	"github.com/boombuler/barcode/qr"
	"github.com/go-pdf/fpdf"

	"github.com/balaidesa/balai/sdk"
)

// Row is one "label : value" line of a letter.
type Row struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Letter is a letter's whole content, fixed when the request is approved:
// the PDF is drawn from it alone, so later changes to settings, wording or
// the register never alter a letter that has a number.
type Letter struct {
	Letterhead []string  `json:"letterhead"`
	Address    string    `json:"address,omitempty"`
	Title      string    `json:"title"`
	Number     string    `json:"number"`
	Opening    string    `json:"opening"`
	Identity   []Row     `json:"identity"`
	Details    []Row     `json:"details,omitempty"`
	Body       string    `json:"body"`
	Closing    string    `json:"closing"`
	Place      string    `json:"place"`
	Date       string    `json:"date"`
	Signatory  Signatory `json:"signatory"`
	Village    string    `json:"village"`
	VerifyURL  string    `json:"verify_url"`
}

// verifyPath is where a letter's QR code leads: the public verification
// page of the village (ui_public.go), which a phone reads as a page. The
// letters numbered before it pointed at the API's GET /verify/{code},
// which keeps answering them (a page for a browser, JSON for programs).
func verifyPath(tenant, code string) string {
	return "/" + tenant + "/services/verify/" + code
}

var sexNames = map[string]string{"L": "Laki-laki", "P": "Perempuan"}

// fullAddress writes where a resident lives as a letter does.
func fullAddress(s *snapshot, rg *region) string {
	var parts []string
	if s.Address != "" {
		parts = append(parts, s.Address)
	}
	switch {
	case s.RT != "" && s.RW != "":
		parts = append(parts, "RT "+s.RT+"/RW "+s.RW)
	case s.RT != "":
		parts = append(parts, "RT "+s.RT)
	case s.RW != "":
		parts = append(parts, "RW "+s.RW)
	}
	if rg.Village != "" {
		parts = append(parts, rg.Kind+" "+rg.Village)
	}
	if rg.District != "" {
		parts = append(parts, "Kecamatan "+rg.District)
	}
	if rg.Regency != "" {
		parts = append(parts, rg.Regency)
	}
	return strings.Join(parts, ", ")
}

// buildLetter fills the wording for one request.
func buildLetter(lt *LetterType, t Template, res *resolved, q *request, number string, date time.Time, verifyURL string) *Letter {
	s, rg := &q.Resident, &res.Region
	birth := longDateString(s.BirthDate)
	if s.BirthPlace != "" {
		birth = s.BirthPlace + ", " + birth
	}
	vals := map[string]string{
		"name": s.Name, "nik": q.NIK, "sex": sexNames[s.Sex], "birth_place": s.BirthPlace, "birth_date": longDateString(s.BirthDate),
		"religion": s.Religion, "occupation": s.Occupation, "marital_status": s.MaritalStatus, "address": fullAddress(s, rg),
		"village": rg.Village, "village_kind": rg.Kind, "district": rg.District, "regency": rg.Regency, "province": rg.Province,
		"purpose": q.Purpose, "signatory_title": res.Signatory.Title, "signatory_name": res.Signatory.Name,
		"place": res.Place, "date": longDate(date), "type_name": lt.Name,
	}
	l := &Letter{
		Letterhead: res.Letterhead, Address: res.Address, Number: number, Place: res.Place, Date: longDate(date),
		Signatory: res.Signatory, Village: strings.TrimSpace(rg.Kind + " " + rg.Village), VerifyURL: verifyURL,
	}
	for _, f := range lt.Fields {
		if v := q.Fields[f.Name]; v != "" {
			vals[f.Name] = f.display(v)
			l.Details = append(l.Details, Row{f.Label, f.display(v)})
		}
	}
	l.Title, l.Opening, l.Body, l.Closing = render(t.Title, vals), render(t.Opening, vals), render(t.Body, vals), render(t.Closing, vals)
	for _, row := range []Row{
		{"Nama", s.Name}, {"NIK", q.NIK}, {"Tempat/Tanggal Lahir", birth}, {"Jenis Kelamin", sexNames[s.Sex]},
		{"Agama", s.Religion}, {"Pekerjaan", s.Occupation}, {"Status Perkawinan", s.MaritalStatus}, {"Alamat", vals["address"]},
	} {
		if row.Value != "" {
			l.Identity = append(l.Identity, row)
		}
	}
	return l
}

// qrPNG draws a QR code with the quiet zone scanners need around it.
func qrPNG(content string) ([]byte, error) {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return nil, err
	}
	const quiet, scale = 4, 8
	n := code.Bounds().Dx()
	size := (n + 2*quiet) * scale
	img := image.NewGray(image.Rect(0, 0, size, size))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y := range n {
		for x := range n {
			if c, _, _, _ := code.At(x, y).RGBA(); c != 0 {
				continue
			}
			for dy := range scale {
				for dx := range scale {
					img.SetGray((x+quiet)*scale+dx, (y+quiet)*scale+dy, color.Gray{})
				}
			}
		}
	}
	var buf bytes.Buffer
	err = png.Encode(&buf, img)
	return buf.Bytes(), err
}

// Paper is a sheet size letters print on, in millimetres.
type Paper struct {
	Width, Height float64
}

// papers are the sizes a tenant may choose (Settings.Paper). F4 (folio,
// 215 x 330 mm) is what most village offices buy, so it is the default;
// A4 is ISO 216.
var papers = map[string]Paper{
	"F4": {215, 330},
	"A4": {210, 297},
}

// DefaultPaper is the paper of a tenant that chose none.
const DefaultPaper = "F4"

// The margins in millimetres, the same on every paper: the letterhead
// and the text take the width the paper leaves, and a taller sheet fits
// more text before the signature moves to a second page. The left margin
// is wider for the binding of the office's archive copy.
const marginLeft, marginRight, marginTop, marginBottom = 25.0, 20.0, 15.0, 15.0

// renderPDF draws the letter on the named paper (A4 or F4; anything
// else is F4). revokedOn, if not empty, marks the letter as revoked on
// that date.
func renderPDF(l *Letter, created time.Time, revokedOn, paper string) ([]byte, error) {
	return renderLetterPDF(l, created, revokedOn, paper, nil)
}

// The emblem's box beside the letterhead text, in millimetres: as tall as
// three letterhead lines and the address, at most this wide.
const emblemHeight, emblemMaxWidth, emblemGap = 24.0, 30.0, 4.0

// renderLetterPDF is renderPDF with the tenant's letterhead emblem (nil:
// none) drawn at the left of the letterhead, whose text is centred in
// the width beside it.
func renderLetterPDF(l *Letter, created time.Time, revokedOn, paper string, emblem *Emblem) ([]byte, error) {
	qrImg, err := qrPNG(l.VerifyURL)
	if err != nil {
		return nil, fmt.Errorf("QR code: %w", err)
	}
	size, ok := papers[paper]
	if !ok {
		size = papers[DefaultPaper]
	}
	const left, right = marginLeft, marginRight
	width := size.Width - left - right
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: fpdf.SizeType{Wd: size.Width, Ht: size.Height}})
	pdf.SetMargins(left, marginTop, right)
	pdf.SetAutoPageBreak(true, marginBottom)
	// The core fonts speak Windows-1252, which covers Indonesian.
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetTitle(l.Title+" "+l.Number, true)
	pdf.SetAuthor(l.Village, true)
	pdf.SetCreator("Balai services", true)
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetCatalogSort(true) // the same letter gives the same bytes
	pdf.AddPage()

	headBottom := 0.0
	if emblem != nil && len(emblem.Data) > 0 && emblem.Width > 0 && emblem.Height > 0 {
		kind := "PNG"
		if emblem.ContentType == "image/jpeg" {
			kind = "JPG"
		}
		ew, eh := emblemHeight*float64(emblem.Width)/float64(emblem.Height), emblemHeight
		if ew > emblemMaxWidth {
			ew, eh = emblemMaxWidth, emblemMaxWidth*float64(emblem.Height)/float64(emblem.Width)
		}
		pdf.RegisterImageOptionsReader("emblem", fpdf.ImageOptions{ImageType: kind}, bytes.NewReader(emblem.Data))
		if err := pdf.Error(); err != nil {
			return nil, fmt.Errorf("emblem: %w", err)
		}
		pdf.ImageOptions("emblem", left, marginTop, ew, eh, false, fpdf.ImageOptions{ImageType: kind}, 0, "")
		pdf.SetLeftMargin(left + ew + emblemGap)
		pdf.SetX(left + ew + emblemGap)
		headBottom = marginTop + eh
	}
	for i, line := range l.Letterhead {
		size := 13.0
		if i == len(l.Letterhead)-1 {
			size = 15
		}
		pdf.SetFont("Helvetica", "B", size)
		pdf.CellFormat(0, 6.5, tr(line), "", 1, "C", false, 0, "")
	}
	if l.Address != "" {
		pdf.SetFont("Helvetica", "I", 9)
		pdf.CellFormat(0, 5, tr(l.Address), "", 1, "C", false, 0, "")
	}
	pdf.SetLeftMargin(left)
	y := max(pdf.GetY(), headBottom) + 2
	pdf.SetLineWidth(0.8)
	pdf.Line(left, y, left+width, y)
	pdf.SetLineWidth(0.2)
	pdf.Line(left, y+1.2, left+width, y+1.2)
	pdf.SetY(y + 7)

	pdf.SetFont("Helvetica", "BU", 12)
	pdf.CellFormat(0, 6, tr(l.Title), "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 11)
	pdf.CellFormat(0, 6, tr("Nomor: "+l.Number), "", 1, "C", false, 0, "")
	if revokedOn != "" {
		pdf.SetTextColor(200, 0, 0)
		pdf.SetFont("Helvetica", "B", 12)
		pdf.CellFormat(0, 8, tr("SURAT INI TELAH DICABUT PADA "+strings.ToUpper(revokedOn)), "", 1, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
		pdf.SetFont("Helvetica", "", 11)
	}
	pdf.Ln(5)

	paragraph := func(text string) {
		pdf.MultiCell(0, 6, tr(text), "", "J", false)
		pdf.Ln(2)
	}
	table := func(rows []Row) {
		for _, row := range rows {
			pdf.SetX(left + 8)
			pdf.CellFormat(48, 6, tr(row.Label), "", 0, "L", false, 0, "")
			pdf.CellFormat(4, 6, ":", "", 0, "L", false, 0, "")
			pdf.MultiCell(0, 6, tr(row.Value), "", "L", false)
		}
		pdf.Ln(2)
	}
	paragraph(l.Opening)
	table(l.Identity)
	paragraph(l.Body)
	if len(l.Details) > 0 {
		table(l.Details)
	}
	paragraph(l.Closing)
	pdf.Ln(4)

	// Signature on the right, the verification QR code on the left.
	if pdf.GetY() > size.Height-marginBottom-70 {
		pdf.AddPage()
	}
	top := pdf.GetY()
	sx := left + width - 75
	sign := func(style, text string, h float64) {
		pdf.SetX(sx)
		pdf.SetFont("Helvetica", style, 11)
		pdf.CellFormat(75, h, tr(text), "", 1, "C", false, 0, "")
	}
	sign("", l.Place+", "+l.Date, 6)
	sign("", l.Signatory.Title, 6)
	pdf.Ln(22)
	if l.Signatory.Name != "" {
		sign("BU", l.Signatory.Name, 6)
	} else {
		sign("", "(..............................)", 6)
	}
	if l.Signatory.NIP != "" {
		sign("", "NIP. "+l.Signatory.NIP, 6)
	}
	pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(qrImg))
	pdf.ImageOptions("qr", left, top, 32, 32, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	pdf.SetXY(left, top+33)
	pdf.SetFont("Helvetica", "", 7)
	pdf.MultiCell(70, 3.2, tr("Pindai kode QR untuk memeriksa keaslian surat ini:\n"+l.VerifyURL), "", "L", false)

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// printLetter serves the letter as a PDF. It shows the resident's data in
// full, so every download is audited.
func printLetter(w http.ResponseWriter, r *http.Request) {
	data, name, err := letterPDF(r)
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(data)
}

func letterPDF(r *http.Request) ([]byte, string, error) {
	req := sdk.From(r)
	// The letter holds the resident's data in full: services.letters.print
	// is the permission to have it, whether or not the caller reads it in
	// the API (read_personal). The reveal is audited by the host with this
	// purpose, the download by letters.printed.
	rec, q, err := loadRequest(r, "print the letter (services.letters.print)")
	if err != nil {
		return nil, "", err
	}
	if err := allowed("print", q.State); err != nil {
		return nil, "", err
	}
	if q.Letter == nil {
		return nil, "", sdk.Errorf(http.StatusConflict, codeInvalidState, "the request has no letter yet")
	}
	// The content was fixed at approval; the paper is the office's, as
	// its settings say when it prints.
	_, res, err := loadSettings(r.Context(), req)
	if err != nil {
		return nil, "", err
	}
	revokedOn := ""
	if q.State == StateRevoked {
		revokedOn = longDate(q.RevokedAt.In(res.loc))
	}
	// The emblem, like the paper, is the office's as it prints.
	data, err := renderLetterPDF(q.Letter, q.ApprovedAt, revokedOn, res.Paper, res.emblem)
	if err != nil {
		return nil, "", err
	}
	if err := req.Batch().Audit("letters.printed", q.Ref, map[string]string{"id": rec.ID, "number": q.Number}).Commit(r.Context()); err != nil {
		return nil, "", err
	}
	return data, "surat-" + strings.ToLower(q.Type) + "-" + q.Ref + ".pdf", nil
}
