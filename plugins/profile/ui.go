package main

// The profile's screens: the clerk's form in the console, and the
// village's public profile page. Both go through the API's code: the page
// reads with getProfile and saves with saveProfile, so the form obeys the
// very rules PUT does.

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// pages are the profile's screens.
func pages() []sdk.PageRoute {
	return []sdk.PageRoute{
		{Method: "GET", Path: "/{$}", Public: true, Handler: http.HandlerFunc(publicProfilePage)},
		// The village's card on its public home in the portal (issue 13).
		{Method: "GET", Path: "/summary", Public: true, Widget: true, Handler: http.HandlerFunc(publicSummary)},
		{Method: "GET", Path: "/edit", Permission: permWrite, Handler: http.HandlerFunc(editProfilePage),
			Menu: &sdk.MenuEntry{Label: "Profil Desa", LabelEN: "Village profile", Icon: "building", Order: 5}},
		{Method: "POST", Path: "/edit", Permission: permWrite, MaxBodyBytes: 256 << 10, Handler: http.HandlerFunc(saveProfilePage)},
	}
}

var words = ui.Words{
	"id": {
		"title": "Profil Desa", "edit": "Ubah profil desa", "head": "Kepala desa", "address": "Alamat kantor desa",
		"phone": "Telepon kantor", "email": "Surel (e-mail)", "website": "Situs web", "area": "Luas wilayah (km²)",
		"north": "Batas utara", "east": "Batas timur", "south": "Batas selatan", "west": "Batas barat",
		"lat": "Lintang (latitude)", "lon": "Bujur (longitude)", "vision": "Visi", "mission": "Misi",
		"mission_help": "Satu misi per baris.", "potential": "Potensi desa", "potential_help": "Satu potensi per baris, misalnya Kebun nenas.",
		"official": "Perangkat desa %d", "official_name": "Nama", "official_position": "Jabatan",
		"officials_help": "Kosongkan kedua isian untuk menghapus baris. Simpan untuk mendapat baris kosong baru.",
		"saved":          "Profil desa disimpan.", "population": "Jumlah penduduk", "sub_district": "Kecamatan", "regency": "Kabupaten/Kota",
		"identity": "Identitas", "officials": "Perangkat desa", "boundaries": "Batas wilayah", "coordinates": "Koordinat kantor desa",
		"contact": "Kontak", "conflict": "Profil sudah diubah orang lain sejak Anda membukanya. Muat ulang halaman, lalu ulangi perubahan Anda.",
		"error": "Terjadi kesalahan. Coba lagi nanti.", "want_number": "Isi dengan angka, misalnya 12,5.", "empty": "Belum diisi.",
		"updated": "Diperbarui", "view_public": "Lihat halaman publik",
		"villages": "Desa-desa", "village": "Desa", "search": "Cari desa", "no_villages": "Tidak ada desa yang cocok.",
	},
	"en": {
		"title": "Village profile", "edit": "Edit the village profile", "head": "Village head", "address": "Village office address",
		"phone": "Office telephone", "email": "E-mail", "website": "Website", "area": "Area (km²)",
		"north": "North boundary", "east": "East boundary", "south": "South boundary", "west": "West boundary",
		"lat": "Latitude", "lon": "Longitude", "vision": "Vision", "mission": "Mission",
		"mission_help": "One mission per line.", "potential": "Potential", "potential_help": "One per line, for example Pineapple farms.",
		"official": "Official %d", "official_name": "Name", "official_position": "Position",
		"officials_help": "Clear both fields to remove a row. Save to get new empty rows.",
		"saved":          "Village profile saved.", "population": "Population", "sub_district": "Sub-district", "regency": "Regency/City",
		"identity": "Identity", "officials": "Village officials", "boundaries": "Boundaries", "coordinates": "Office coordinates",
		"contact": "Contact", "conflict": "Someone saved the profile since you opened it. Reload the page and make your changes again.",
		"error": "Something went wrong. Try again later.", "want_number": "Enter a number, for example 12.5.", "empty": "Not filled in yet.",
		"updated": "Updated", "view_public": "See the public page",
		"villages": "Villages", "village": "Village", "search": "Search villages", "no_villages": "No village matches.",
	},
}

// word is the screen string key in the user's language.
func word(r *http.Request, key string) string { return words.Get(r, key) }

// codeWords say the field errors in Bahasa Indonesia.
var codeWords = map[sdk.Code]string{
	codeInvalidHead: "Nama kepala desa satu baris, paling banyak 100 karakter.", codeInvalidAddress: "Alamat paling banyak 500 karakter.",
	codeInvalidContactPhone:   "Nomor telepon seperti +62 762 21234 atau 0762-21234 (6 sampai 15 angka).",
	codeInvalidContactEmail:   "Alamat surel seperti kantor@kumantan.desa.id.",
	codeInvalidContactWebsite: "Alamat situs diawali http:// atau https://, misalnya https://kumantan.desa.id.",
	codeInvalidAreaKm2:        "Luas harus lebih dari 0 dan paling banyak 100.000 km².",
	codeInvalidBoundaryNorth:  "Satu baris, paling banyak 200 karakter.", codeInvalidBoundaryEast: "Satu baris, paling banyak 200 karakter.",
	codeInvalidBoundarySouth: "Satu baris, paling banyak 200 karakter.", codeInvalidBoundaryWest: "Satu baris, paling banyak 200 karakter.",
	codeInvalidCoordinates: "Isi lintang dan bujur, atau kosongkan keduanya.",
	codeInvalidLatitude:    "Lintang dari -90 sampai 90 (Indonesia sekitar -11 sampai 6).",
	codeInvalidLongitude:   "Bujur dari -180 sampai 180 (Indonesia sekitar 95 sampai 141).",
	codeInvalidVision:      "Visi paling banyak 2.000 karakter.", codeInvalidMission: "Paling banyak 30 misi, masing-masing paling banyak 1.000 karakter.",
	codeInvalidOfficials: "Nama dan jabatan wajib diisi, satu baris, paling banyak 100 karakter.",
	codeInvalidPotential: "Paling banyak 50 potensi, masing-masing satu baris, paling banyak 200 karakter.",
}

// codeField is the form field of a field error's code.
var codeField = map[sdk.Code]string{
	codeInvalidHead: "head", codeInvalidAddress: "address", codeInvalidContactPhone: "contact.phone",
	codeInvalidContactEmail: "contact.email", codeInvalidContactWebsite: "contact.website", codeInvalidAreaKm2: "area_km2",
	codeInvalidBoundaryNorth: "boundaries.north", codeInvalidBoundaryEast: "boundaries.east",
	codeInvalidBoundarySouth: "boundaries.south", codeInvalidBoundaryWest: "boundaries.west",
	codeInvalidCoordinates: "coordinates.latitude", codeInvalidLatitude: "coordinates.latitude", codeInvalidLongitude: "coordinates.longitude",
	codeInvalidVision: "vision", codeInvalidMission: "mission", codeInvalidOfficials: "officials.0.name", codeInvalidPotential: "potential",
}

// officialAt finds the row an officials error names ("officials[2].position").
var officialAt = regexp.MustCompile(`^officials\[(\d+)\]\.(name|position)`)

// spareOfficials are the empty rows the form offers for new officials.
const spareOfficials = 3

// publicProfilePage is a village's public profile; above a village, the
// list of its villages (GET /villages), each linked to its profile.
func publicProfilePage(w http.ResponseWriter, r *http.Request) {
	if sdk.From(r).Level != sdk.Village {
		villagesPage(w, r)
		return
	}
	_, v, err := getProfile(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	p := v.(View)
	or := func(s string) string {
		if s == "" {
			return "–"
		}
		return s
	}
	ident := [][2]string{{word(r, "head"), or(p.Head)}}
	if p.SubDistrict != nil {
		ident = append(ident, [2]string{word(r, "sub_district"), p.SubDistrict.Name})
	}
	if p.Regency != nil {
		ident = append(ident, [2]string{word(r, "regency"), p.Regency.Name})
	}
	if p.AreaKm2 != nil {
		ident = append(ident, [2]string{word(r, "area"), strings.Replace(strconv.FormatFloat(*p.AreaKm2, 'f', -1, 64), ".", ",", 1)})
	}
	if p.PopulationCountedAt != nil {
		ident = append(ident, [2]string{word(r, "population"), ui.Number(uint64(p.Population))})
	}
	body := []ui.Node{ui.DefinitionList(ident...)}
	if p.Vision != "" || len(p.Mission) > 0 {
		body = append(body, ui.Section(word(r, "vision"), ui.Text(p.Vision), bullets(word(r, "mission"), p.Mission)))
	}
	if len(p.Officials) > 0 {
		tb := ui.Table{Columns: []ui.Column{{Key: "position", Label: word(r, "official_position")}, {Key: "name", Label: word(r, "official_name")}}}
		for _, o := range p.Officials {
			tb.Rows = append(tb.Rows, ui.Row{Cells: []ui.Node{ui.Cell(o.Position), ui.Cell(o.Name)}})
		}
		body = append(body, ui.Section(word(r, "officials"), tb))
	}
	if len(p.Potential) > 0 {
		body = append(body, ui.Section(word(r, "potential"), bullets("", p.Potential)))
	}
	b := p.Boundaries
	if b != (Boundaries{}) {
		body = append(body, ui.Section(word(r, "boundaries"), ui.DefinitionList(
			[2]string{word(r, "north"), or(b.North)}, [2]string{word(r, "east"), or(b.East)},
			[2]string{word(r, "south"), or(b.South)}, [2]string{word(r, "west"), or(b.West)})))
	}
	contact := [][2]string{{word(r, "address"), or(p.Address)}, {word(r, "phone"), or(p.Contact.Phone)}, {word(r, "email"), or(p.Contact.Email)}, {word(r, "website"), or(p.Contact.Website)}}
	if c := p.Coordinates; c != nil && c.Latitude != nil && c.Longitude != nil {
		contact = append(contact, [2]string{word(r, "coordinates"), strconv.FormatFloat(*c.Latitude, 'f', -1, 64) + ", " + strconv.FormatFloat(*c.Longitude, 'f', -1, 64)})
	}
	body = append(body, ui.Section(word(r, "contact"), ui.DefinitionList(contact...)))
	if p.UpdatedAt != nil {
		body = append(body, ui.Muted(word(r, "updated")+" "+ui.DateTime(r, *p.UpdatedAt)))
	}
	ui.Render(w, r, ui.Page{Title: word(r, "title") + " " + p.Name, Body: body})
}

// publicSummary is the profile's public widget on a village's home in the
// portal: the head, the office's address and contacts, the map position,
// and a link to the whole profile. Above a village it is a link to the
// list of villages' profiles.
// maxWidgetOfficials bounds the officials the village page's widget
// lists.
const maxWidgetOfficials = 8

func publicSummary(w http.ResponseWriter, r *http.Request) {
	if sdk.From(r).Level != sdk.Village {
		ui.Render(w, r, ui.Page{Title: word(r, "title"), Body: []ui.Node{ui.A(ui.Tr(r, "Profil setiap desa", "Every village's profile"), "/")}})
		return
	}
	_, v, err := getProfile(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	p := v.(View)
	var pairs [][2]string
	for _, kv := range [][2]string{{word(r, "head"), p.Head}, {word(r, "address"), p.Address}, {word(r, "phone"), p.Contact.Phone}, {word(r, "email"), p.Contact.Email}} {
		if kv[1] != "" {
			pairs = append(pairs, kv)
		}
	}
	body := []ui.Node{}
	if len(pairs) > 0 {
		body = append(body, ui.DefinitionList(pairs...))
	}
	// The officials (perangkat desa) a citizen asks for at the office,
	// the first maxWidgetOfficials of them: the widget stays small on the
	// regency's home, and the whole list is on the profile page.
	if len(p.Officials) > 0 {
		var b strings.Builder
		b.WriteString(`<h3>` + template.HTMLEscapeString(word(r, "officials")) + `</h3><ul id="profile-officials">`)
		for i, o := range p.Officials {
			if i == maxWidgetOfficials {
				b.WriteString(`<li>…</li>`)
				break
			}
			b.WriteString(`<li>` + template.HTMLEscapeString(o.Position) + `: ` + template.HTMLEscapeString(o.Name) + `</li>`)
		}
		b.WriteString(`</ul>`)
		body = append(body, ui.HTML(template.HTML(b.String())))
	}
	if c := p.Coordinates; c != nil && c.Latitude != nil && c.Longitude != nil {
		// A link any phone's map application opens (RFC 5870), not a
		// map fetched from another host.
		lat, lon := strconv.FormatFloat(*c.Latitude, 'f', -1, 64), strconv.FormatFloat(*c.Longitude, 'f', -1, 64)
		body = append(body, ui.HTML(template.HTML(`<p><a href="geo:`+template.HTMLEscapeString(lat+","+lon)+`">`+
			template.HTMLEscapeString(ui.Tr(r, "Buka lokasi kantor desa di peta", "Open the village office on a map")+" ("+lat+", "+lon+")")+`</a></p>`)))
	}
	body = append(body, ui.A(ui.Tr(r, "Profil desa selengkapnya", "The whole village profile"), "/"))
	ui.Render(w, r, ui.Page{Title: word(r, "title"), Body: body})
}

// villagesPage lists the villages below the tenant with search and pages,
// through the API's listVillages.
func villagesPage(w http.ResponseWriter, r *http.Request) {
	_, v, err := listVillages(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	list := v.(sdk.ListOf[VillageItem])
	offset, limit, err := sdk.Page(r)
	if err != nil {
		offset, limit = 0, 50
	}
	tb := ui.Table{
		Columns: []ui.Column{{Key: "name", Label: word(r, "village")}, {Key: "sub_district", Label: word(r, "sub_district")},
			{Key: "head", Label: word(r, "head")}, {Key: "population", Label: word(r, "population")}},
		Total: int(list.Total), Page: offset/limit + 1, Limit: limit, Empty: word(r, "no_villages"),
		Filters: []ui.Field{{Name: "q", Label: word(r, "search"), Type: "search", Max: 100}},
	}
	base, tenant := ui.Info(r).Base, sdk.From(r).Tenant
	for _, it := range list.Items {
		name := ui.Cell(it.Name)
		if slices.Contains(it.Modules, "profile") {
			// The village's own page, at its tenant's address.
			href := strings.Replace(base, "/"+tenant+"/", "/"+it.Code+"/", 1) + "/"
			name = ui.NodeFunc(func(*http.Request) template.HTML {
				return template.HTML(`<a href="` + template.HTMLEscapeString(href) + `">` + template.HTMLEscapeString(it.Name) + `</a>`)
			})
		}
		sub, pop := "", "–"
		if it.SubDistrict != nil {
			sub = it.SubDistrict.Name
		}
		if it.PopulationCountedAt != nil {
			pop = ui.Number(uint64(it.Population))
		}
		tb.Rows = append(tb.Rows, ui.Row{Cells: []ui.Node{name, ui.Cell(sub), ui.Cell(it.Head), ui.Cell(pop)}})
	}
	ui.Render(w, r, ui.Page{Title: word(r, "villages"), Body: []ui.Node{tb}})
}

// bullets is a titled bulleted list of texts, escaped.
func bullets(title string, items []string) ui.Node {
	return ui.NodeFunc(func(*http.Request) template.HTML {
		if len(items) == 0 {
			return ""
		}
		var b strings.Builder
		if title != "" {
			b.WriteString("<h3>" + template.HTMLEscapeString(title) + "</h3>")
		}
		b.WriteString("<ul>")
		for _, s := range items {
			b.WriteString("<li>" + template.HTMLEscapeString(s) + "</li>")
		}
		b.WriteString("</ul>")
		return template.HTML(b.String())
	})
}

// fail renders an error of the API's code as the page.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := http.StatusInternalServerError, word(r, "error")
	var e *sdk.Error
	if errors.As(err, &e) {
		status, msg = e.Status, e.Message
	} else {
		sdk.Logf(r.Context(), "error", "profile screen %s: %v", r.URL.Path, err)
	}
	ui.ErrorPage(w, r, word(r, "title"), status, msg)
}

func editProfilePage(w http.ResponseWriter, r *http.Request) {
	_, v, err := getProfile(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	renderForm(w, r, http.StatusOK, formValues(v.(View)), nil, "")
}

// formValues are a profile's form values.
func formValues(p View) url.Values {
	f := func(x *float64) string {
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'f', -1, 64)
	}
	v := url.Values{
		"version": {strconv.FormatInt(p.Version, 10)}, "head": {p.Head}, "address": {p.Address},
		"contact.phone": {p.Contact.Phone}, "contact.email": {p.Contact.Email}, "contact.website": {p.Contact.Website},
		"area_km2": {f(p.AreaKm2)}, "boundaries.north": {p.Boundaries.North}, "boundaries.east": {p.Boundaries.East},
		"boundaries.south": {p.Boundaries.South}, "boundaries.west": {p.Boundaries.West}, "vision": {p.Vision},
		"mission": {strings.Join(p.Mission, "\n")}, "potential": {strings.Join(p.Potential, "\n")},
	}
	if c := p.Coordinates; c != nil {
		v.Set("coordinates.latitude", f(c.Latitude))
		v.Set("coordinates.longitude", f(c.Longitude))
	}
	for i, o := range p.Officials {
		v.Set(fmt.Sprintf("officials.%d.name", i), o.Name)
		v.Set(fmt.Sprintf("officials.%d.position", i), o.Position)
	}
	return v
}

// officialRows is how many official rows the form shows for values: the
// filled ones and a few spare.
func officialRows(values url.Values) int {
	n := 0
	for i := 0; i < maxOfficials+spareOfficials; i++ {
		if values.Get(fmt.Sprintf("officials.%d.name", i)) != "" || values.Get(fmt.Sprintf("officials.%d.position", i)) != "" {
			n = i + 1
		}
	}
	return min(n+spareOfficials, maxOfficials)
}

func renderForm(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg string) {
	fields := []ui.Field{
		{Name: "version", Type: "hidden"},
		{Name: "head", Label: word(r, "head"), Max: maxHead},
		{Name: "address", Label: word(r, "address"), Type: "textarea", Max: maxAddress},
		{Name: "contact.phone", Label: word(r, "phone"), Type: "tel", Max: maxPhone},
		{Name: "contact.email", Label: word(r, "email"), Type: "email", Max: maxEmail},
		{Name: "contact.website", Label: word(r, "website"), Max: maxWebsite, Placeholder: "https://"},
		{Name: "area_km2", Label: word(r, "area"), Max: 20},
		{Name: "boundaries.north", Label: word(r, "north"), Max: maxBoundary},
		{Name: "boundaries.east", Label: word(r, "east"), Max: maxBoundary},
		{Name: "boundaries.south", Label: word(r, "south"), Max: maxBoundary},
		{Name: "boundaries.west", Label: word(r, "west"), Max: maxBoundary},
		{Name: "coordinates.latitude", Label: word(r, "lat"), Max: 20, Placeholder: "0.3351"},
		{Name: "coordinates.longitude", Label: word(r, "lon"), Max: 20, Placeholder: "101.0209"},
		{Name: "vision", Label: word(r, "vision"), Type: "textarea", Max: maxVision},
		{Name: "mission", Label: word(r, "mission"), Type: "textarea", Help: word(r, "mission_help")},
		{Name: "potential", Label: word(r, "potential"), Type: "textarea", Help: word(r, "potential_help")},
	}
	rows := officialRows(values)
	for i := range rows {
		label := fmt.Sprintf(word(r, "official"), i+1)
		help := ""
		if i == 0 {
			help = word(r, "officials_help")
		}
		fields = append(fields,
			ui.Field{Name: fmt.Sprintf("officials.%d.position", i), Label: label + ": " + word(r, "official_position"), Max: maxOfficial, Help: help},
			ui.Field{Name: fmt.Sprintf("officials.%d.name", i), Label: label + ": " + word(r, "official_name"), Max: maxOfficial},
		)
	}
	ui.Render(w, r, ui.Page{Title: word(r, "edit"), Status: status, Body: []ui.Node{
		ui.Form{Action: "/edit", Fields: fields, Values: values, Errors: errs, Error: msg},
	}})
}

// saveProfilePage saves the form with the API's saveProfile; its 422 is
// shown beside each field at fault (every one, as PUT reports them).
func saveProfilePage(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		fail(w, r, sdk.Errorf(http.StatusBadRequest, sdk.CodeInvalid, "reading the form: %v", err))
		return
	}
	body, rows, errs := fromForm(r, r.PostForm)
	if len(errs) > 0 {
		_, msg := ui.FormErrorsFor(r, &sdk.Error{Status: http.StatusUnprocessableEntity, Field: "x", Message: "x"})
		renderForm(w, r, http.StatusUnprocessableEntity, r.PostForm, errs, msg)
		return
	}
	// A copy for the per-field errors: saveProfile normalizes body in place.
	check := body
	check.Profile.Mission = append([]string(nil), body.Mission...)
	check.Profile.Potential = append([]string(nil), body.Potential...)
	check.Profile.Officials = append([]Official(nil), body.Officials...)
	_, _, err := saveProfile(r, body)
	if err == nil {
		ui.Redirect(w, r, "/edit", "success", word(r, "saved"))
		return
	}
	var e *sdk.Error
	if !errors.As(err, &e) {
		sdk.Logf(r.Context(), "error", "saving the profile of %s: %v", sdk.From(r).Tenant, err)
		renderForm(w, r, http.StatusInternalServerError, r.PostForm, nil, word(r, "error"))
		return
	}
	switch e.Status {
	case http.StatusConflict:
		renderForm(w, r, http.StatusConflict, r.PostForm, nil, word(r, "conflict"))
		return
	case http.StatusUnprocessableEntity:
		errs = fieldErrors(r, check.Profile.normalize(), rows)
		if len(errs) > 0 {
			_, msg := ui.FormErrorsFor(r, &sdk.Error{Status: e.Status, Field: "x", Message: "x"})
			renderForm(w, r, http.StatusUnprocessableEntity, r.PostForm, errs, msg)
			return
		}
	}
	renderForm(w, r, e.Status, r.PostForm, nil, e.Message)
}

// fieldErrors places the profile's problems beside their fields, in the
// user's language; rows are the form rows of the officials sent.
func fieldErrors(r *http.Request, problems []fieldError, rows []int) map[string]string {
	errs := map[string]string{}
	for _, p := range problems {
		field := codeField[p.Code]
		if m := officialAt.FindStringSubmatch(p.Msg); m != nil {
			if i, err := strconv.Atoi(m[1]); err == nil && i < len(rows) {
				field = fmt.Sprintf("officials.%d.%s", rows[i], m[2])
			}
		}
		if field == "" || errs[field] != "" {
			continue
		}
		msg := p.Msg
		if s, ok := codeWords[p.Code]; ok && ui.Info(r).Lang != "en" {
			msg = s
		}
		errs[field] = msg
	}
	return errs
}

// fromForm reads the form into PUT's body: numbers in the Indonesian or
// English way ("12,5" or "12.5"), one mission or potential a line, and the
// official rows that are not empty (rows gives each one's row in the
// form, for placing its errors). A number that is no number is an
// error of its field.
func fromForm(r *http.Request, f url.Values) (putBody, []int, map[string]string) {
	errs := map[string]string{}
	num := func(name string) *float64 {
		s := strings.TrimSpace(f.Get(name))
		if s == "" {
			return nil
		}
		x, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		if err != nil {
			errs[name] = word(r, "want_number")
			return nil
		}
		return &x
	}
	lines := func(name string) []string {
		var out []string
		for l := range strings.SplitSeq(f.Get(name), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	var b putBody
	var rows []int
	if v, err := strconv.ParseInt(f.Get("version"), 10, 64); err == nil {
		b.Version = &v
	}
	b.Head, b.Address, b.Vision = f.Get("head"), f.Get("address"), f.Get("vision")
	b.Contact = Contact{Phone: f.Get("contact.phone"), Email: f.Get("contact.email"), Website: f.Get("contact.website")}
	b.AreaKm2 = num("area_km2")
	b.Boundaries = Boundaries{North: f.Get("boundaries.north"), East: f.Get("boundaries.east"), South: f.Get("boundaries.south"), West: f.Get("boundaries.west")}
	lat, lon := num("coordinates.latitude"), num("coordinates.longitude")
	if lat != nil || lon != nil {
		b.Coordinates = &Coordinates{Latitude: lat, Longitude: lon}
	}
	b.Mission, b.Potential = lines("mission"), lines("potential")
	for i := 0; i < maxOfficials+spareOfficials; i++ {
		name, pos := f.Get(fmt.Sprintf("officials.%d.name", i)), f.Get(fmt.Sprintf("officials.%d.position", i))
		if strings.TrimSpace(name) == "" && strings.TrimSpace(pos) == "" {
			continue
		}
		b.Officials = append(b.Officials, Official{Name: name, Position: pos})
		rows = append(rows, i)
	}
	return b, rows, errs
}
