package main

// The clerks' side: the list of the tenant's articles, writing one,
// editing it with a preview, publishing now or at a time, withdrawing,
// the featured image and gallery, the dashboard card, and the roll-up of
// the villages below a district or regency.

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

const manageLimit = 25

// managePage lists the tenant's own articles, every status, newest change
// first.
func managePage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	title := ui.Tr(r, "Berita Desa", "Village news")
	q := r.URL.Query()
	page := pageNumber(r)
	lq := listQuery{Status: "all", Village: req.Tenant, Offset: (page - 1) * manageLimit, Limit: manageLimit}
	switch s := q.Get("status"); s {
	case StatusDraft, StatusScheduled, StatusPublished:
		lq.Status = s
	}
	if k := q.Get("kind"); k == KindNews || k == KindPage {
		lq.Kind = k
	}
	out, err := list(r.Context(), req, lq)
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	rows := make([]ui.Row, 0, len(out.Items))
	for _, v := range out.Items {
		rows = append(rows, ui.Row{Href: "/manage/" + v.Slug, Cells: []ui.Node{
			ui.Cell(v.Title), ui.Cell(kindName(r, v.Kind)), ui.Cell(v.CategoryName), statusBadge(r, v.Status),
			ui.Cell(when(r, v.PublishAt)), ui.Cell(ui.DateTime(r, v.UpdatedAt)),
		}})
	}
	table := ui.Table{
		Columns: []ui.Column{{Key: "title", Label: ui.Tr(r, "Judul", "Title")}, {Key: "kind", Label: ui.Tr(r, "Jenis", "Kind")},
			{Key: "category", Label: ui.Tr(r, "Kategori", "Category")}, {Key: "status", Label: "Status"},
			{Key: "publish_at", Label: ui.Tr(r, "Terbit", "Published")}, {Key: "updated_at", Label: ui.Tr(r, "Diubah", "Changed")}},
		Rows: rows, Total: int(out.Total), Page: page, Limit: manageLimit,
		Filters: []ui.Field{
			{Name: "status", Label: "Status", Type: "select", Options: []ui.Option{
				{Value: StatusDraft, Label: ui.Tr(r, "Draf", "Draft")}, {Value: StatusScheduled, Label: ui.Tr(r, "Terjadwal", "Scheduled")},
				{Value: StatusPublished, Label: ui.Tr(r, "Terbit", "Published")}}},
			{Name: "kind", Label: ui.Tr(r, "Jenis", "Kind"), Type: "select", Options: []ui.Option{
				{Value: KindNews, Label: kindName(r, KindNews)}, {Value: KindPage, Label: kindName(r, KindPage)}}},
		},
		Empty:   ui.Tr(r, "Belum ada artikel. Tulis berita pertama desa ini.", "No articles yet. Write the first news."),
		Caption: title,
	}
	var actions []ui.Link
	if req.Can(permWrite) {
		actions = append(actions, ui.Link{Label: ui.Tr(r, "Tulis artikel", "Write an article"), Href: "/write", Primary: true})
	}
	actions = append(actions, ui.Link{Label: ui.Tr(r, "Lihat situs", "View the site"), Href: "/" + req.Tenant + "/" + pluginID + "/"})
	ui.Render(w, r, ui.Page{Title: title, Actions: actions, Body: []ui.Node{table}})
}

// articleFields are the fields of the writing and editing forms.
func articleFields(r *http.Request, isNew bool) []ui.Field {
	fs := []ui.Field{
		{Name: "title", Label: ui.Tr(r, "Judul", "Title"), Required: true, Max: maxTitle},
		{Name: "kind", Label: ui.Tr(r, "Jenis", "Kind"), Type: "select", Options: []ui.Option{
			{Value: KindNews, Label: ui.Tr(r, "Berita (bertanggal, tampil di daftar berita)", "News (dated, in the news list)")},
			{Value: KindPage, Label: ui.Tr(r, "Halaman (sejarah, organisasi, layanan)", "Page (history, organisation, services)")}}},
		{Name: "category", Label: ui.Tr(r, "Kategori", "Category"), Type: "select", Options: categoryOptions(r, "")},
		{Name: "lead", Label: ui.Tr(r, "Ringkasan", "Lead"), Max: maxLead,
			Help: ui.Tr(r, "Satu paragraf; tampil di daftar dan saat tautan dibagikan di WhatsApp. Kosongkan untuk memakai awal isi.", "One paragraph, shown in lists and on a shared link's card. Empty uses the start of the text.")},
		{Name: "body", Label: ui.Tr(r, "Isi", "Text"), Type: "textarea", Required: true, Max: maxBody,
			Help: ui.Tr(r, "Format Markdown: **tebal**, *miring*, # Judul bagian, - daftar, [tautan](https://...). HTML tidak dipakai.", "Markdown: **bold**, *italic*, # Heading, - list, [link](https://...). HTML is not used.")},
		{Name: "slug", Label: ui.Tr(r, "Alamat (slug)", "Address (slug)"), Max: maxSlug,
			Help: ui.Tr(r, "Bagian akhir alamat artikel. Kosongkan agar dibuat dari judul.", "The end of the article's address. Empty makes it from the title.")},
	}
	if isNew {
		fs = append(fs, ui.Field{Name: "publish_now", Label: ui.Tr(r, "Langsung terbitkan", "Publish now"), Type: "checkbox"})
	} else {
		fs[len(fs)-1].Help = ui.Tr(r, "Mengubah alamat memutus tautan yang sudah dibagikan.", "Changing the address breaks links shared before.")
	}
	return fs
}

func writePage(w http.ResponseWriter, r *http.Request) {
	renderWrite(w, r, http.StatusOK, url.Values{"kind": {KindNews}, "category": {"berita"}}, nil, "")
}

func renderWrite(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg string) {
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Tulis artikel", "Write an article"), Status: status, Body: []ui.Node{
		ui.Form{Action: "/write", Submit: ui.Tr(r, "Simpan artikel", "Save the article"), Fields: articleFields(r, true),
			Values: values, Errors: errs, Error: msg, Cancel: "/manage"},
	}})
}

// createPage stores the form through the API's own create.
func createPage(w http.ResponseWriter, r *http.Request) {
	var in articleInput
	err := ui.Decode(r, &in)
	if err == nil {
		if r.PostForm.Get("publish_now") != "" {
			in.Status = StatusPublished
		}
	}
	var v articleView
	if err == nil {
		v, err = create(r, in)
	}
	if err != nil {
		errs, msg, status := pageErrors.Form(r, err)
		renderWrite(w, r, status, r.PostForm, errs, msg)
		return
	}
	flash := ui.Tr(r, "Artikel disimpan sebagai draf.", "Article saved as a draft.")
	if v.Status == StatusPublished {
		flash = ui.Tr(r, "Artikel diterbitkan.", "Article published.")
	}
	ui.Redirect(w, r, "/manage/"+v.Slug, "success", flash)
}

func editPage(w http.ResponseWriter, r *http.Request) {
	renderEdit(w, r, http.StatusOK, nil, nil, "", "")
}

// renderEdit shows an article's editing page: its status and the
// publishing form, the text form (values kept after a refusal), its
// pictures and a preview.
func renderEdit(w http.ResponseWriter, r *http.Request, status int, values url.Values, errs map[string]string, msg, which string) {
	req := sdk.From(r)
	_, av, err := ui.CallAPI(r, getArticle, "GET", nil, nil, "slug", r.PathValue("slug"))
	if err != nil {
		pageErrors.Fail(w, r, ui.Tr(r, "Artikel tidak ditemukan", "Article not found"), err)
		return
	}
	v := av.(articleView)
	if values == nil || which != "text" {
		values = url.Values{"title": {v.Title}, "kind": {v.Kind}, "category": {v.Category}, "body": {v.Body}, "slug": {v.Slug}}
		if _, a, err := load(r); err == nil {
			values.Set("lead", a.Lead)
		}
	}
	base := "/manage/" + v.Slug
	body := []ui.Node{ui.DefinitionList(
		[2]string{"Status", map[string]string{StatusDraft: ui.Tr(r, "Draf", "Draft"), StatusScheduled: ui.Tr(r, "Terjadwal", "Scheduled"), StatusPublished: ui.Tr(r, "Terbit", "Published")}[v.Status]},
		[2]string{ui.Tr(r, "Waktu terbit", "Publish time"), when(r, v.PublishAt)},
		[2]string{ui.Tr(r, "Alamat publik", "Public address"), v.URL},
		[2]string{ui.Tr(r, "Penulis", "Author"), v.Author},
	)}
	if req.Can(permPublish) {
		pubErrs, pubMsg := map[string]string(nil), ""
		pubValues := url.Values{}
		if which == "publish" {
			pubErrs, pubMsg, pubValues = errs, msg, values
		}
		label := ui.Tr(r, "Terbitkan", "Publish")
		if v.Status != StatusDraft {
			label = ui.Tr(r, "Ubah waktu terbit", "Change the publish time")
		}
		pub := ui.Form{Action: base + "/publish", Submit: label, Values: pubValues, Errors: pubErrs, Error: pubMsg, Fields: []ui.Field{
			{Name: "publish_date", Label: ui.Tr(r, "Tanggal terbit", "Publish date"), Type: "date",
				Help: ui.Tr(r, "Kosongkan untuk terbit sekarang. Tanggal ke depan menjadwalkan artikel.", "Empty publishes now. A later date schedules it.")},
			{Name: "publish_time", Label: ui.Tr(r, "Jam terbit", "Publish time"), Placeholder: "07:00", Max: 5,
				Help: ui.Tr(r, "Format JJ:MM, waktu desa (", "HH:MM, the village's time (") + req.TimeZone() + ")."},
		}}
		sec := []ui.Node{pub}
		if v.Status != StatusDraft {
			sec = append(sec, ui.Form{Action: base + "/unpublish", Submit: ui.Tr(r, "Tarik ke draf", "Withdraw to draft"),
				Confirm: ui.Tr(r, "Tarik artikel ini dari situs?", "Take this article off the site?")})
		}
		body = append(body, ui.Section(ui.Tr(r, "Penerbitan", "Publishing"), sec...))
	}
	if req.Can(permWrite) {
		textErrs, textMsg := map[string]string(nil), ""
		if which == "text" {
			textErrs, textMsg = errs, msg
		}
		body = append(body, ui.Section(ui.Tr(r, "Naskah", "Text"), ui.Form{Action: base, Submit: ui.Tr(r, "Simpan perubahan", "Save changes"),
			Fields: articleFields(r, false), Values: values, Errors: textErrs, Error: textMsg}))
		imgErr := ""
		if which == "image" {
			imgErr = msg
		}
		pics := []ui.Node{}
		if v.Image != nil {
			pics = append(pics, ui.HTML(ui.Execute(r, galleryT, []pic{{URL: v.Image.URL, Thumb: v.Image.ThumbURL, Alt: ui.Tr(r, "Gambar utama", "Featured image")}})))
		}
		up := ui.Upload(base+"/image", "image", ui.Tr(r, "Gambar utama", "Featured image"), ui.Tr(r, "JPEG, PNG, WebP atau GIF, paling besar 5 MB. Tampil di atas artikel dan di kartu tautan WhatsApp.", "JPEG, PNG, WebP or GIF, at most 5 MB. Shown above the article and on WhatsApp's link card."), "image/*")
		up.Error, up.Submit = imgErr, ui.Tr(r, "Unggah gambar utama", "Upload the featured image")
		pics = append(pics, up)
		body = append(body, ui.Section(ui.Tr(r, "Gambar utama", "Featured image"), pics...))
		gal := []ui.Node{}
		for _, p := range v.Gallery {
			gal = append(gal, ui.HTML(ui.Execute(r, galleryT, []pic{{URL: p.URL, Thumb: p.ThumbURL, Alt: v.Title}})),
				ui.Form{Action: base + "/photos/" + p.ID + "/delete", Submit: ui.Tr(r, "Hapus foto", "Delete photo"), Confirm: ui.Tr(r, "Hapus foto ini?", "Delete this photo?")})
		}
		gup := ui.Upload(base+"/photos", "photo", ui.Tr(r, "Tambah foto galeri", "Add a gallery photo"), ui.Tr(r, "Paling banyak 12 foto per artikel.", "At most 12 photos an article."), "image/*")
		if which == "photo" {
			gup.Error = msg
		}
		gup.Submit = ui.Tr(r, "Unggah foto", "Upload the photo")
		gal = append(gal, gup)
		body = append(body, ui.Section(ui.Tr(r, "Galeri", "Gallery"), gal...))
	}
	body = append(body, ui.Section(ui.Tr(r, "Pratinjau", "Preview"), ui.HTML(template.HTML(`<div class="wb-article" style="overflow-wrap:anywhere">`+v.HTML+`</div>`))))
	if req.Can(permPublish) {
		body = append(body, ui.Form{Action: base + "/delete", Submit: ui.Tr(r, "Hapus artikel", "Delete the article"),
			Confirm: ui.Tr(r, "Hapus artikel ini beserta gambarnya?", "Delete this article and its pictures?")})
	}
	ui.Render(w, r, ui.Page{Title: v.Title, Status: status, Body: body, Actions: []ui.Link{
		{Label: ui.Tr(r, "Semua artikel", "All articles"), Href: "/manage"},
		{Label: ui.Tr(r, "Lihat di situs", "View on the site"), Href: v.URL},
	}})
}

// savePage saves the text form: every field it shows, an empty lead
// clearing the lead, an empty slug keeping the address.
func savePage(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		pageErrors.Fail(w, r, ui.Tr(r, "Artikel", "Article"), sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the form cannot be read"))
		return
	}
	f := r.PostForm
	str := func(k string) *string {
		if _, ok := f[k]; !ok {
			return nil
		}
		s := f.Get(k)
		return &s
	}
	in := patchInput{Kind: str("kind"), Title: str("title"), Lead: str("lead"), Body: str("body"), Category: str("category")}
	if s := strings.TrimSpace(f.Get("slug")); s != "" {
		in.Slug = &s
	}
	v, err := patch(r, in)
	if err != nil {
		errs, msg, status := pageErrors.Form(r, err)
		renderEdit(w, r, status, f, errs, msg, "text")
		return
	}
	ui.Redirect(w, r, "/manage/"+v.Slug, "success", ui.Tr(r, "Perubahan disimpan.", "Changes saved."))
}

// publishPage publishes now, or at the date and time given in the
// tenant's zone.
func publishPage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	if err := r.ParseForm(); err != nil {
		pageErrors.Fail(w, r, ui.Tr(r, "Artikel", "Article"), sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the form cannot be read"))
		return
	}
	date, clock := strings.TrimSpace(r.PostForm.Get("publish_date")), strings.TrimSpace(r.PostForm.Get("publish_time"))
	var in publishInput
	var err error
	if date != "" || clock != "" {
		if date == "" {
			date = req.Today()
		}
		if clock == "" {
			clock = "00:00"
		}
		t, perr := time.ParseInLocation("2006-01-02 15:04", date+" "+strings.ReplaceAll(clock, ".", ":"), req.Location())
		if perr != nil {
			err = unprocessable(codeInvalidPublishAt, "publish_date", "publish date and time must be YYYY-MM-DD and HH:MM")
		} else {
			s := t.Format(time.RFC3339)
			in.PublishAt = &s
		}
	}
	var v articleView
	if err == nil {
		v, err = publish(r, in)
	}
	if err != nil {
		errs, msg, status := pageErrors.Form(r, err)
		renderEdit(w, r, status, r.PostForm, errs, msg, "publish")
		return
	}
	flash := ui.Tr(r, "Artikel diterbitkan.", "Article published.")
	if v.Status == StatusScheduled {
		flash = ui.Tr(r, "Artikel dijadwalkan terbit ", "Article scheduled for ") + when(r, v.PublishAt) + "."
	}
	ui.Redirect(w, r, "/manage/"+v.Slug, "success", flash)
}

func unpublishPage(w http.ResponseWriter, r *http.Request) {
	form := ui.Form{Action: "/manage/" + r.PathValue("slug") + "/unpublish", Submit: ui.Tr(r, "Tarik ke draf", "Withdraw to draft"),
		Confirm: ui.Tr(r, "Tarik artikel ini dari situs?", "Take this article off the site?")}
	if !ui.Confirm(w, r, form) {
		return
	}
	v, err := unpublish(r)
	if err != nil {
		pageErrors.Fail(w, r, ui.Tr(r, "Artikel", "Article"), err)
		return
	}
	ui.Redirect(w, r, "/manage/"+v.Slug, "success", ui.Tr(r, "Artikel ditarik ke draf.", "Article withdrawn to draft."))
}

func deletePage(w http.ResponseWriter, r *http.Request) {
	form := ui.Form{Action: "/manage/" + r.PathValue("slug") + "/delete", Submit: ui.Tr(r, "Hapus artikel", "Delete the article"),
		Confirm: ui.Tr(r, "Hapus artikel ini beserta gambarnya?", "Delete this article and its pictures?")}
	if !ui.Confirm(w, r, form) {
		return
	}
	if err := remove(r); err != nil {
		pageErrors.Fail(w, r, ui.Tr(r, "Artikel", "Article"), err)
		return
	}
	ui.Redirect(w, r, "/manage", "success", ui.Tr(r, "Artikel dihapus.", "Article deleted."))
}

func imagePage(w http.ResponseWriter, r *http.Request) {
	if _, err := setImage(r); err != nil {
		_, msg, status := pageErrors.Explain(r, err)
		renderEdit(w, r, status, nil, nil, msg, "image")
		return
	}
	ui.Redirect(w, r, "/manage/"+r.PathValue("slug"), "success", ui.Tr(r, "Gambar utama diunggah.", "Featured image uploaded."))
}

func photoPage(w http.ResponseWriter, r *http.Request) {
	if _, err := addGallery(r); err != nil {
		_, msg, status := pageErrors.Explain(r, err)
		renderEdit(w, r, status, nil, nil, msg, "photo")
		return
	}
	ui.Redirect(w, r, "/manage/"+r.PathValue("slug"), "success", ui.Tr(r, "Foto ditambahkan ke galeri.", "Photo added to the gallery."))
}

func deletePhotoPage(w http.ResponseWriter, r *http.Request) {
	form := ui.Form{Action: "/manage/" + r.PathValue("slug") + "/photos/" + r.PathValue("file") + "/delete", Submit: ui.Tr(r, "Hapus foto", "Delete photo"),
		Confirm: ui.Tr(r, "Hapus foto ini?", "Delete this photo?")}
	if !ui.Confirm(w, r, form) {
		return
	}
	if _, _, err := deletePhoto(r); err != nil {
		pageErrors.Fail(w, r, ui.Tr(r, "Artikel", "Article"), err)
		return
	}
	ui.Redirect(w, r, "/manage/"+r.PathValue("slug"), "success", ui.Tr(r, "Foto dihapus.", "Photo deleted."))
}

// consoleWidget is the dashboard card: drafts and scheduled articles of
// the tenant, and a link to them.
func consoleWidget(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	title := ui.Tr(r, "Berita Desa", "Village news")
	count := func(status string) int64 {
		out, err := list(r.Context(), req, listQuery{Status: status, Village: req.Tenant, Limit: 1})
		if err != nil {
			return 0
		}
		return out.Total
	}
	drafts, scheduled, published := count(StatusDraft), count(StatusScheduled), count(StatusPublished)
	ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{
		ui.DefinitionList(
			[2]string{ui.Tr(r, "Terbit", "Published"), ui.Number(uint64(published))},
			[2]string{ui.Tr(r, "Terjadwal", "Scheduled"), ui.Number(uint64(scheduled))},
			[2]string{ui.Tr(r, "Draf", "Drafts"), ui.Number(uint64(drafts))},
		),
		ui.A(ui.Tr(r, "Kelola berita", "Manage the news"), ui.Href(r, "/manage")),
	}})
}

// regencyPage is the roll-up of a district or regency: at a regency
// first one row per district (its villages, their news, how many
// published nothing in 30 days), each leading to one row per village of
// that district (?district=); at a district its villages at once. A
// village's row shows its published news and pages, its news of the
// last 30 days (a warning at 0), and its scheduled and draft articles.
func regencyPage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	title := ui.Tr(r, "Rekap Berita Desa", "Village news roll-up")
	s, err := summarize(r.Context(), req)
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	n := func(v int64) ui.Node { return ui.Cell(ui.Number(uint64(v))) }
	np := func(v *int64) ui.Node {
		if v == nil {
			return ui.Cell("–")
		}
		return n(*v)
	}
	type district struct {
		code, name                 string
		villages, quiet            int64
		news, pages, news30, draft int64
	}
	var districts []*district
	byCode := map[string]*district{}
	for _, v := range s.Items {
		d := byCode[v.District]
		if d == nil {
			d = &district{code: v.District, name: v.DistrictName}
			byCode[v.District] = d
			districts = append(districts, d)
		}
		d.villages++
		d.news += v.News
		d.pages += v.Pages
		d.news30 += v.News30
		if v.News30 == 0 {
			d.quiet++
		}
	}
	chosen := r.URL.Query().Get("district")
	if _, ok := byCode[chosen]; !ok {
		chosen = ""
	}
	body := []ui.Node{ui.DefinitionList(
		[2]string{ui.Tr(r, "Desa dengan modul", "Villages with the module"), ui.Number(uint64(s.Villages))},
		[2]string{ui.Tr(r, "Desa yang pernah menerbitkan berita", "Villages that published news"), ui.Number(uint64(s.VillagesWithNews))},
		[2]string{ui.Tr(r, "Berita terbit", "News published"), ui.Number(uint64(s.News))},
		[2]string{ui.Tr(r, "Berita 30 hari terakhir", "News in the last 30 days"), ui.Number(uint64(s.News30))},
		[2]string{ui.Tr(r, "Berita wilayah ini sendiri", "This region's own news"), ui.Number(uint64(s.Own.News))},
	)}
	if req.Level == sdk.Regency && chosen == "" && len(districts) > 1 {
		rows := make([]ui.Row, 0, len(districts))
		for _, d := range districts {
			rows = append(rows, ui.Row{Href: "/regency?district=" + url.QueryEscape(d.code), Cells: []ui.Node{
				ui.Cell(d.name), n(d.villages), n(d.news), n(d.pages), n(d.news30), n(d.quiet)}})
		}
		body = append(body, ui.Table{Columns: []ui.Column{
			{Key: "district", Label: ui.Tr(r, "Kecamatan", "District")}, {Key: "villages", Label: ui.Tr(r, "Desa", "Villages")},
			{Key: "news", Label: ui.Tr(r, "Berita terbit", "News")}, {Key: "pages", Label: ui.Tr(r, "Halaman", "Pages")},
			{Key: "news_30d", Label: ui.Tr(r, "Berita 30 hari", "News, 30 days")},
			{Key: "quiet", Label: ui.Tr(r, "Desa tanpa berita 30 hari", "Villages without news in 30 days")},
		}, Rows: rows, Caption: ui.Tr(r, "Per kecamatan", "By district")})
		ui.Render(w, r, ui.Page{Title: title, Body: body})
		return
	}
	rows := make([]ui.Row, 0, len(s.Items))
	for _, v := range s.Items {
		if chosen != "" && v.District != chosen {
			continue
		}
		cells := []ui.Node{ui.A(v.Name, "/"+v.Code+"/"+pluginID+"/"), ui.Cell(v.DistrictName), n(v.News), n(v.Pages), n(v.News30), np(v.Scheduled), np(v.Drafts)}
		if v.News30 == 0 {
			cells[4] = ui.Badge("warning", "0")
		}
		rows = append(rows, ui.Row{Cells: cells})
	}
	var actions []ui.Link
	if chosen != "" {
		title += " — " + byCode[chosen].name
		actions = append(actions, ui.Link{Label: ui.Tr(r, "Semua kecamatan", "All districts"), Href: "/regency"})
	}
	body = append(body, ui.Table{Columns: []ui.Column{
		{Key: "village", Label: ui.Tr(r, "Desa", "Village")}, {Key: "district", Label: ui.Tr(r, "Kecamatan", "District")},
		{Key: "news", Label: ui.Tr(r, "Berita terbit", "News")}, {Key: "pages", Label: ui.Tr(r, "Halaman", "Pages")},
		{Key: "news_30d", Label: ui.Tr(r, "Berita 30 hari", "News, 30 days")}, {Key: "scheduled", Label: ui.Tr(r, "Terjadwal", "Scheduled")},
		{Key: "drafts", Label: ui.Tr(r, "Draf", "Drafts")},
	}, Rows: rows, Empty: ui.Tr(r, "Tidak ada desa di bawah wilayah ini yang memakai modul Berita Desa.", "No village below uses the news module."),
		Caption: title})
	ui.Render(w, r, ui.Page{Title: title, Actions: actions, Body: body})
}
