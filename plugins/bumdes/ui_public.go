package main

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
)

// publicList is the public page of the enterprises: at a village its BUM
// Desa and the BUMDes Bersama it belongs to, at a district or regency
// those below, each linked to its page.
func publicList(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	list, err := ui.Answer[sdk.ListOf[EnterpriseView]](ui.WithQuery(r, "limit", "100", "kind", "", "classification", ""), listEnterprises)
	if err != nil {
		fail(w, r, err)
		return
	}
	rows := make([]ui.Row, 0, len(list.Items))
	for _, e := range list.Items {
		place := e.TenantName
		if place == "" {
			place = e.Tenant
		}
		rows = append(rows, ui.Row{Cells: []ui.Node{publicLink(r, e.Name, e.Tenant, e.ID), ui.Cell(kindLabel(r, e.Kind)), ui.Cell(place),
			classBadge(r, e.Classification, e.ClassificationYear)}})
	}
	off, limit, _ := sdk.Page(r)
	body2 := []ui.Node{ui.Table{
		Columns: []ui.Column{{Key: "name", Label: ui.Tr(r, "Nama", "Name")}, {Key: "kind", Label: ui.Tr(r, "Jenis", "Kind")},
			{Key: "place", Label: ui.Tr(r, "Desa / kecamatan", "Village / district")}, {Key: "class", Label: ui.Tr(r, "Klasifikasi", "Classification")}},
		Rows: rows, Total: int(list.Total), Page: off/max(limit, 1) + 1, Limit: 100,
		Empty: ui.Tr(r, "Belum ada BUMDes terdaftar.", "No enterprise registered yet."),
	}}
	if req.Level != sdk.Village {
		body2 = append([]ui.Node{ui.A(ui.Tr(r, "Rekap omzet dan kontribusi PADes", "Turnover and village income recap"), "/rekap")}, body2...)
	}
	ui.Render(w, r, ui.Page{Title: ui.Tr(r, "Badan Usaha Milik Desa", "Village-owned enterprises"), Body: body2,
		Description: ui.Tr(r, "BUMDes dan BUMDes Bersama: unit usaha, pengurus, omzet dan kontribusi bagi pendapatan desa.",
			"Village-owned enterprises: units, management, turnover and contribution to village income.")})
}

// publicLink links an enterprise's public page: here, or at the district
// keeping a BUMDes Bersama.
func publicLink(r *http.Request, label, tenant, id string) ui.Node {
	if tenant == sdk.From(r).Tenant {
		return ui.A(label, "/enterprises/"+id)
	}
	return absLink(label, ui.TenantHref(r, tenant, "/enterprises/"+id))
}

// publicEnterprise is an enterprise's public page: its data, current
// management (names and roles), units with their mall pages, and yearly
// figures. Never a NIK or a phone number.
func publicEnterprise(w http.ResponseWriter, r *http.Request) {
	e, err := ui.Answer[EnterpriseView](r, getEnterprise)
	if err != nil {
		fail(w, r, err)
		return
	}
	out := []ui.Node{ui.Section("", classBadge(r, e.Classification, e.ClassificationYear), ui.DefinitionList(
		[2]string{ui.Tr(r, "Jenis", "Kind"), kindLabel(r, e.Kind)},
		[2]string{ui.Tr(r, "Nomor badan hukum", "Registration number"), dash(e.RegistrationNumber)},
		[2]string{ui.Tr(r, "Perdes pendirian", "Founding Perdes"), dash(e.PerdesNumber)},
		[2]string{ui.Tr(r, "Alamat", "Address"), dash(e.Address)},
	))}
	if len(e.MemberVillages) > 0 {
		names := make([]string, len(e.MemberVillages))
		for i, m := range e.MemberVillages {
			names[i] = cmp.Or(m.Name, m.Code)
		}
		out = append(out, ui.Text(ui.Tr(r, "Desa anggota: ", "Member villages: ")+strings.Join(names, ", ")))
	}
	if e.Joint {
		out = append(out, absLink(ui.Tr(r, "Unit usaha dan laporan BUMDes Bersama ini", "This joint enterprise's units and reports"), ui.TenantHref(r, e.Tenant, "/enterprises/"+e.ID)))
		ui.Render(w, r, ui.Page{Title: e.Name, Body: out})
		return
	}
	if len(e.Management) > 0 {
		pairs := make([][2]string, 0, len(e.Management))
		for _, m := range e.Management {
			pairs = append(pairs, [2]string{word(r, roles, m.Role), m.Name})
		}
		out = append(out, ui.Section(ui.Tr(r, "Pengurus", "Management"), ui.DefinitionList(pairs...)))
	}
	var urows []ui.Row
	for _, u := range e.Units {
		if !u.Active {
			continue
		}
		var mall ui.Node = ui.Cell("–")
		if u.MallPage != "" {
			mall = absLink(ui.Tr(r, "Belanja di Mall Desa", "Shop in the village mall"), u.MallPage)
		}
		urows = append(urows, ui.Row{Cells: []ui.Node{ui.Cell(u.Name), ui.Cell(word(r, unitTypes, u.Type)), ui.Cell(u.ManagerName), mall}})
	}
	out = append(out, ui.Section(ui.Tr(r, "Unit usaha", "Business units"), ui.Table{Columns: []ui.Column{{Key: "name", Label: ui.Tr(r, "Unit", "Unit")},
		{Key: "type", Label: ui.Tr(r, "Jenis", "Type")}, {Key: "manager", Label: ui.Tr(r, "Pengelola", "Manager")}, {Key: "mall", Label: ui.Tr(r, "Mall Desa", "Mall")}},
		Rows: urows, Empty: ui.Tr(r, "Belum ada unit usaha.", "No business unit yet.")}))
	var trows []ui.Row
	for _, t := range e.Totals {
		trows = append(trows, ui.Row{Cells: []ui.Node{ui.Cell(strconv.Itoa(t.Year)), ui.Cell(ui.Rupiah(t.Revenue)), ui.Cell(ui.Rupiah(t.Profit)), ui.Cell(ui.Rupiah(t.PADes))}})
	}
	out = append(out, ui.Section(ui.Tr(r, "Kinerja per tahun", "Figures per year"), ui.Table{Columns: []ui.Column{{Key: "year", Label: ui.Tr(r, "Tahun", "Year")},
		{Key: "revenue", Label: ui.Tr(r, "Omzet", "Revenue")}, {Key: "profit", Label: ui.Tr(r, "Laba", "Profit")}, {Key: "pades", Label: ui.Tr(r, "Kontribusi PADes", "Village income")}},
		Rows: trows, Empty: ui.Tr(r, "Belum ada laporan.", "No report yet.")}))
	out = append(out, ui.A(ui.Tr(r, "Semua BUMDes", "All enterprises"), "/"))
	ui.Render(w, r, ui.Page{Title: e.Name, Body: out,
		Description: e.Name + " – " + kindLabel(r, e.Kind)})
}

// publicSummary is the public widget on the village's page and the
// regency home: at a village its enterprise, elsewhere the roll-up's
// figures and a link to the list.
func publicSummary(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	title := ui.Tr(r, "BUMDes", "Village enterprises")
	if req.Level == sdk.Village {
		list, err := ui.Answer[sdk.ListOf[EnterpriseView]](ui.WithQuery(r, "page", "", "limit", "", "kind", "", "classification", ""), listEnterprises)
		if err != nil {
			fail(w, r, err)
			return
		}
		out := []ui.Node{}
		for _, e := range list.Items {
			out = append(out, ui.HTML("<p>"), nodes(publicLink(r, e.Name, e.Tenant, e.ID), classBadge(r, e.Classification, e.ClassificationYear)), ui.HTML("</p>"))
		}
		if len(out) == 0 {
			out = append(out, ui.Muted(ui.Tr(r, "Desa ini belum mendaftarkan BUMDes.", "This village has not registered an enterprise.")))
		}
		ui.Render(w, r, ui.Page{Title: title, Body: out})
		return
	}
	s, err := ui.Answer[*Summary](ui.WithQuery(r, "limit", "1", "year", "", "page", ""), getSummary)
	if err != nil {
		fail(w, r, err)
		return
	}
	ui.Render(w, r, ui.Page{Title: title, Body: []ui.Node{
		ui.Text(number(int64(s.WithEnterprise)) + ui.Tr(r, " dari ", " of ") + number(int64(s.Villages)) + ui.Tr(r, " desa memiliki BUMDes", " villages have an enterprise") +
			" · " + ui.Tr(r, "omzet ", "revenue ") + strconv.Itoa(s.Year) + ": " + ui.Rupiah(s.Revenue) + " · PADes: " + ui.Rupiah(s.PADes)),
		ui.A(ui.Tr(r, "Daftar BUMDes", "Enterprises"), "/"),
		ui.A(ui.Tr(r, "Rekap", "Recap"), "/rekap"),
	}})
}
