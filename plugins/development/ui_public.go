package main

// The citizens' pages: the project list of a village (or of every
// village below a district or regency), a project's page with its photo
// timeline, and the small widget on the village's and regency's home.
// Pages are light for a weak signal: no photos in the list, thumbnails
// load lazily on a project's page.

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

var cardsT = template.Must(template.New("cards").Parse(
	`<ul class="b-grid" role="list" style="list-style:none;padding:0">{{range .}}<li class="b-card">` +
		`<h2><a href="{{.Href}}">{{.Name}}</a></h2><p>{{.Badge}}</p>` +
		`<p class="b-muted">{{.Meta}}</p><p>Fisik <strong>{{.Percent}}</strong> · Pagu {{.Budget}}</p></li>{{end}}</ul>`))

type card struct {
	Href, Name, Meta, Percent, Budget string
	Badge                             template.HTML
}

// publicListPage lists the projects, newest year first, with filters; at
// a district or regency it opens with the year's totals.
func publicListPage(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	title := "Pembangunan Desa"
	lr, list, pl, err := projectList(r)
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	var body []ui.Node
	s, err := ui.Answer[Summary](ui.WithQuery(r, "year", ""), summary)
	if err != nil {
		pageErrors.Fail(w, r, title, err)
		return
	}
	body = append(body, ui.DefinitionList(
		[2]string{"Proyek tahun " + strconv.Itoa(s.Year), ui.Number(uint64(s.Projects)) + " (" + ui.Number(uint64(s.ByState[StateCompleted])) + " selesai)"},
		[2]string{"Pagu anggaran", ui.Rupiah(s.Budget)},
		[2]string{"Serapan anggaran", ui.Rupiah(s.Spent) + " (" + percent(s.Absorption) + ")"},
	))
	body = append(body, ui.Form{Method: "GET", Submit: "Tampilkan", Values: r.URL.Query(), Fields: listFilters(r, pl)})
	cards := make([]card, 0, len(list.Items))
	for _, p := range list.Items {
		meta := p.KindName + " · " + strconv.Itoa(p.Year)
		if req.Level != sdk.Village {
			meta = p.Village.Name + " · " + meta
		}
		if p.Location.Dusun != "" {
			meta += " · " + p.Location.Dusun
		}
		href := "/projects/" + p.ID
		if p.Village.Code != req.Tenant {
			href = ui.TenantHref(r, p.Village.Code, href)
		} else {
			href = ui.Href(r, href)
		}
		cards = append(cards, card{Href: href, Name: p.Name, Meta: meta, Percent: percent(p.Percent), Budget: ui.Rupiah(p.Budget),
			Badge: stateBadge(p.State, p.BehindSchedule).HTML(r)})
	}
	if len(cards) == 0 {
		body = append(body, ui.HTML(`<p class="b-empty">Belum ada proyek yang cocok.</p>`))
	} else {
		body = append(body, ui.HTML(ui.Execute(r, cardsT, cards)))
	}
	offset, _, _ := sdk.Page(lr)
	body = append(body, ui.Pager{Total: int(list.Total), Page: offset/listLimit + 1, Limit: listLimit})
	ui.Render(w, r, ui.Page{Title: title, Body: body,
		Description: "Proyek pembangunan desa: pagu, sumber dana, progres fisik dan keuangan, dan foto pekerjaannya."})
}

// publicProjectPage is a project for citizens: its facts (without the
// chair's name), its progress against the plan, its photo timeline and
// its reports. A shared link shows its latest photo.
func publicProjectPage(w http.ResponseWriter, r *http.Request) {
	v, err := ui.Answer[ProjectView](r, getProject)
	if err != nil {
		pageErrors.Fail(w, r, "Proyek tidak ditemukan", err)
		return
	}
	body := projectBody(r, v, false)
	page := ui.Page{Title: v.Name, Body: body, Actions: []ui.Link{{Label: "Semua proyek", Href: "/"}},
		Description: v.KindName + " di " + v.Village.Name + " · " + strconv.Itoa(v.Year) + " · pagu " + ui.Rupiah(v.Budget) +
			" · progres fisik " + percent(v.Percent) + " · " + stateWords[v.State]}
	if n := len(v.Photos); n > 0 {
		page.Image = v.Photos[n-1].URL
	}
	ui.Render(w, r, page)
}

// publicWidget is the portal's card: the year's projects, their budget
// absorbed and a link to the list; a few hundred bytes.
func publicWidget(w http.ResponseWriter, r *http.Request) {
	s, err := ui.Answer[Summary](ui.WithQuery(r, "year", ""), summary)
	if err != nil {
		sdk.Logf(r.Context(), "error", "development widget: %v", err)
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	ui.Render(w, r, ui.Page{Title: "Pembangunan Desa", Body: []ui.Node{
		ui.Text(ui.Number(uint64(s.Projects)) + " proyek tahun " + strconv.Itoa(s.Year) + ": " + ui.Number(uint64(s.ByState[StateOngoing])) +
			" berjalan, " + ui.Number(uint64(s.ByState[StateCompleted])) + " selesai. Serapan anggaran " + percent(s.Absorption) + " dari " + ui.Rupiah(s.Budget) + "."),
		ui.A("Lihat proyek pembangunan", "/"),
	}})
}
