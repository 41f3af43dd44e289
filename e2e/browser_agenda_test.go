package e2e

// The agenda's main journey in Chromium through the real binaries: a
// clerk schedules a monthly posyandu (a wrong time refused, the form
// kept), then a meeting that double-books the midwife (saved, with the
// warning on the screen); a citizen on a 360 px phone reads the
// village's month and the event's page, light and from this host only,
// and finds the coming event on the regency's home; the clerk cancels
// the meeting through the confirmation; the regency's official sees the
// month per village.

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestBrowserAgendaJourney(t *testing.T) {
	NeedBrowser(t)
	w := startPlugins(t, sqliteOnly(t), []string{"agenda"})
	w.enable(t, "14.01", "agenda", true)
	base := "/console/" + villageA + "/m/agenda"

	// 1. The clerk adds the posyandu, first with a time she mistyped.
	clerk := NewBrowser(t, w.h, "clerk", Desktop)
	clerk.Login("op-a", "op-a-password-1")
	clerk.Visit("/console/" + villageA + "/")
	clerk.Has("Agenda")
	if st := clerk.Visit(base + "/events?month=2027-03"); st != http.StatusOK {
		t.Fatalf("the agenda: %d %s", st, clerk.Body())
	}
	clerk.Has("Belum ada kegiatan bulan ini.")
	clerk.Submit("Tambah kegiatan")
	clerk.Fill("title", "Posyandu Mawar")
	clerk.Fill("category", "posyandu")
	clerk.Fill("visibility", "public")
	clerk.Fill("start_date", "2027-03-02")
	clerk.Fill("start_time", "jam 8")
	clerk.Fill("end_time", "11.00")
	clerk.Fill("place", "Balai Desa Kumantan")
	clerk.Fill("officials", "Bidan Sari\nKader Posyandu Lina")
	clerk.Fill("repeat", "monthly_weekday")
	clerk.Fill("until", "2027-12-31")
	if st := clerk.Submit("Simpan kegiatan"); st != http.StatusUnprocessableEntity {
		t.Fatalf("a mistyped time: %d, want 422", st)
	}
	clerk.Has("Isi jam mulai, misalnya 09.00.")
	if v := clerk.Eval(`document.querySelector('[name="place"]').value`); v != "Balai Desa Kumantan" {
		t.Errorf("the refused form lost the place: %q", v)
	}
	clerk.Fill("start_time", "08.00")
	if st := clerk.Submit("Simpan kegiatan"); st != http.StatusOK {
		t.Fatalf("saving: %d %s", st, clerk.Body())
	}
	clerk.Has("Kegiatan disimpan.", "Setiap bulan pada Selasa pertama, sampai 31 Desember 2027", "Selasa, 2 Maret 2027, 08.00–11.00 WIB", "Bidan Sari")
	posyanduPage := clerk.Path()
	clerk.Document("agenda-event")

	// 2. A meeting that needs the midwife during the posyandu: saved,
	// with the warning in the message and on the event's page.
	clerk.Visit(base + "/events/new")
	clerk.Fill("title", "Rapat evaluasi stunting")
	clerk.Fill("category", "rapat")
	clerk.Fill("visibility", "internal")
	clerk.Fill("start_date", "2027-04-06")
	clerk.Fill("start_time", "10.00")
	clerk.Fill("end_time", "12.00")
	clerk.Fill("officials", "Bidan Sari\nKepala Desa")
	if st := clerk.Submit("Simpan kegiatan"); st != http.StatusOK {
		t.Fatalf("saving the meeting: %d %s", st, clerk.Body())
	}
	meeting := clerk.Path()
	clerk.Has("Perhatian: Bidan Sari juga terjadwal di “Posyandu Mawar”", "Pejabat terjadwal ganda", "Selasa, 6 April 2027, 08.00–11.00 WIB")
	clerk.Screenshot("double-booked")
	clerk.Visit(base + "/events?month=2027-04")
	clerk.Has("Posyandu Mawar", "Rapat evaluasi stunting", "Internal")
	clerk.Document("agenda-console-month")

	// 3. The citizen, on her phone, reads March and the posyandu's page;
	// the internal meeting is not there.
	citizen := NewBrowser(t, w.h, "citizen", Phone)
	if st := citizen.Visit("/" + villageA + "/agenda/?month=2027-04"); st != http.StatusOK {
		t.Fatalf("the public agenda: %d %s", st, citizen.Body())
	}
	citizen.Has("Posyandu Mawar", "Selasa, 6 April 2027", "08.00–11.00 WIB", "calendar.ics")
	citizen.Lacks("Rapat evaluasi stunting")
	publicPageChecks(t, citizen)
	citizen.Document("agenda-public-month")
	citizen.Submit("Posyandu Mawar")
	if !strings.HasPrefix(citizen.Path(), "/"+villageA+"/agenda/kegiatan/") {
		t.Fatalf("the event's link leads to %s", citizen.Path())
	}
	citizen.Has("Setiap bulan pada Selasa pertama", "Balai Desa Kumantan", "Jadwal berikutnya")
	if og := citizen.Eval(`document.querySelector('meta[property="og:description"]').content`); !strings.Contains(og, "08.00–11.00 WIB") {
		t.Errorf("the link card's description: %q", og)
	}
	publicPageChecks(t, citizen)
	citizen.Document("agenda-public-event")

	// The regency's home shows the coming public events of its villages.
	tomorrow := time.Now().In(time.FixedZone("WIB", 7*3600)).AddDate(0, 0, 1).Format("2006-01-02")
	w.opB.Do(t, "POST", agd(villageB, "/events"), map[string]any{"title": "Gotong royong bersih parit", "category": "gotong_royong",
		"visibility": "public", "all_day": true, "start": tomorrow}).Expect(http.StatusCreated)
	if st := citizen.Visit("/14.01/"); st != http.StatusOK {
		t.Fatalf("the regency's home: %d", st)
	}
	citizen.Has("Agenda kegiatan", "Gotong royong bersih parit")
	publicPageChecks(t, citizen)

	// 4. The meeting is called off: the clerk gives the reason and
	// confirms (the page without script asks again).
	clerk.Visit(meeting)
	clerk.Fill("reason", "Bidan mengikuti pelatihan di kabupaten")
	clerk.Eval(`document.querySelectorAll('[data-confirm]').forEach(e => e.removeAttribute('data-confirm')), ''`)
	if st := clerk.Submit("Batalkan kegiatan"); st != http.StatusOK {
		t.Fatalf("cancelling: %d", st)
	}
	clerk.Has("Batalkan kegiatan ini?")
	if st := clerk.Submit("Ya, lanjutkan"); st != http.StatusOK {
		t.Fatalf("confirming: %d", st)
	}
	clerk.Has("Kegiatan dibatalkan.", "Dibatalkan", "Bidan mengikuti pelatihan di kabupaten")
	clerk.Lacks("Pejabat terjadwal ganda")

	// May's posyandu falls on a holiday: the clerk calls off that date
	// only, and the citizen sees it marked.
	clerk.Visit(posyanduPage)
	clerk.Fill("date", "2027-05-04")
	clerk.Fill("reason", "Hari libur nasional")
	clerk.Eval(`document.querySelectorAll('[data-confirm]').forEach(e => e.removeAttribute('data-confirm')), ''`)
	clerk.Submit("Batalkan kegiatan")
	if st := clerk.Submit("Ya, lanjutkan"); st != http.StatusOK {
		t.Fatalf("confirming one date: %d", st)
	}
	clerk.Has("Jadwal tanggal 4 Mei 2027 dibatalkan.", "Selasa, 4 Mei 2027, 08.00–11.00 WIB — dibatalkan: Hari libur nasional", "Terjadwal")
	citizen.Visit("/" + villageA + "/agenda/?month=2027-05")
	citizen.Has("Posyandu Mawar", "Dibatalkan")

	// 5. The regency's official sees April per village.
	official := NewBrowser(t, w.h, "regency", Desktop)
	official.Login("kampar-admin", "kampar-admin-password-1")
	if st := official.Visit("/console/14.01/m/agenda/villages?month=2027-04"); st != http.StatusOK {
		t.Fatalf("the regency's screen: %d %s", st, official.Body())
	}
	row := official.Eval(`[...document.querySelectorAll('.b-table tbody tr')].map(tr => tr.textContent).find(t => t.includes('Kumantan')) || ''`)
	if !strings.Contains(row, "Bangkinang") || !strings.Contains(row, "1") {
		t.Errorf("Kumantan's row: %q", row)
	}
	official.Screenshot("regency-villages") // 250 rows: an artifact, too large for docs/
	official.Visit("/console/14.01/m/agenda/events?month=2027-04")
	official.Has("Posyandu Mawar", "Kumantan")
	official.Lacks("Rapat evaluasi stunting")
}
