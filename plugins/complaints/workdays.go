package main

import (
	"slices"
	"time"
)

// Holiday is a day off for the public offices: a national holiday (hari
// libur nasional) or a collective leave day (cuti bersama).
type Holiday struct {
	// Date is YYYY-MM-DD.
	Date string `json:"date"`
	// Name is what the decree calls it.
	Name string `json:"name"`
}

// defaultHolidays are the national holidays and collective leave days of
// 2026 and 2027 as shipped. Indonesia fixes them each year by a joint
// decree of three ministers (SKB 3 Menteri: Religious Affairs, Manpower,
// and State Apparatus Empowerment); the Islamic dates follow the moon
// sighting and move by a day or two, and the cuti bersama change from year
// to year. 2026 follows the SKB for 2026; 2027 is an estimate from the
// calendars (Hijri, Chinese, Saka, Easter) until its SKB is published. A
// regency replaces the whole list with PUT /settings {"holidays": [...]}
// when the decree differs.
var defaultHolidays = []Holiday{
	{"2026-01-01", "Tahun Baru 2026 Masehi"},
	{"2026-01-16", "Isra Mikraj Nabi Muhammad SAW"},
	{"2026-02-16", "Cuti bersama Tahun Baru Imlek"},
	{"2026-02-17", "Tahun Baru Imlek 2577 Kongzili"},
	{"2026-03-18", "Cuti bersama Hari Suci Nyepi"},
	{"2026-03-19", "Hari Suci Nyepi (Tahun Baru Saka 1948)"},
	{"2026-03-20", "Cuti bersama Idul Fitri 1447 H"},
	{"2026-03-21", "Idul Fitri 1447 H"},
	{"2026-03-22", "Idul Fitri 1447 H"},
	{"2026-03-23", "Cuti bersama Idul Fitri 1447 H"},
	{"2026-03-24", "Cuti bersama Idul Fitri 1447 H"},
	{"2026-04-03", "Wafat Yesus Kristus"},
	{"2026-04-05", "Kebangkitan Yesus Kristus (Paskah)"},
	{"2026-05-01", "Hari Buruh Internasional"},
	{"2026-05-14", "Kenaikan Yesus Kristus"},
	{"2026-05-15", "Cuti bersama Kenaikan Yesus Kristus"},
	{"2026-05-27", "Idul Adha 1447 H"},
	{"2026-05-28", "Cuti bersama Idul Adha 1447 H"},
	{"2026-05-31", "Hari Raya Waisak 2570 BE"},
	{"2026-06-01", "Hari Lahir Pancasila"},
	{"2026-06-16", "Tahun Baru Islam 1448 H"},
	{"2026-08-17", "Hari Kemerdekaan Republik Indonesia"},
	{"2026-08-25", "Maulid Nabi Muhammad SAW"},
	{"2026-12-24", "Cuti bersama Hari Raya Natal"},
	{"2026-12-25", "Hari Raya Natal"},

	{"2027-01-01", "Tahun Baru 2027 Masehi"},
	{"2027-01-05", "Isra Mikraj Nabi Muhammad SAW"},
	{"2027-02-06", "Tahun Baru Imlek 2578 Kongzili"},
	{"2027-03-09", "Hari Suci Nyepi (Tahun Baru Saka 1949)"},
	{"2027-03-10", "Idul Fitri 1448 H"},
	{"2027-03-11", "Idul Fitri 1448 H"},
	{"2027-03-12", "Cuti bersama Idul Fitri 1448 H"},
	{"2027-03-15", "Cuti bersama Idul Fitri 1448 H"},
	{"2027-03-26", "Wafat Yesus Kristus"},
	{"2027-03-28", "Kebangkitan Yesus Kristus (Paskah)"},
	{"2027-05-01", "Hari Buruh Internasional"},
	{"2027-05-06", "Kenaikan Yesus Kristus"},
	{"2027-05-17", "Idul Adha 1448 H"},
	{"2027-05-20", "Hari Raya Waisak 2571 BE"},
	{"2027-06-01", "Hari Lahir Pancasila"},
	{"2027-06-06", "Tahun Baru Islam 1449 H"},
	{"2027-08-15", "Maulid Nabi Muhammad SAW"},
	{"2027-08-17", "Hari Kemerdekaan Republik Indonesia"},
	{"2027-12-24", "Cuti bersama Hari Raya Natal"},
	{"2027-12-25", "Hari Raya Natal"},
}

// calendar tells working days: Monday to Friday, except holidays (the
// five-day week of the civil service, Perpres 21/2023).
type calendar struct {
	off map[string]bool
}

func newCalendar(holidays []Holiday) calendar {
	c := calendar{off: make(map[string]bool, len(holidays))}
	for _, h := range holidays {
		c.off[h.Date] = true
	}
	return c
}

// working says whether d is a working day.
func (c calendar) working(d time.Time) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !c.off[d.Format(time.DateOnly)]
}

// dueDate is the last day of a target of n working days for a complaint
// received on day: the day of receipt does not count (a complaint of a
// Friday evening with a target of 1 is due on Monday), the n-th working
// day after it is the due date.
func (c calendar) dueDate(received string, n int) string {
	d, err := time.Parse(time.DateOnly, received)
	if err != nil {
		return received
	}
	for left := n; left > 0; {
		d = d.AddDate(0, 0, 1)
		if c.working(d) {
			left--
		}
	}
	return d.Format(time.DateOnly)
}

// between counts the working days after from up to and including to: an
// answer the same day is 0 days, the next working day 1.
func (c calendar) between(from, to string) int {
	a, err1 := time.Parse(time.DateOnly, from)
	b, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || !b.After(a) {
		return 0
	}
	n := 0
	for d := a.AddDate(0, 0, 1); !d.After(b); d = d.AddDate(0, 0, 1) {
		if c.working(d) {
			n++
		}
	}
	return n
}

// sortHolidays orders holidays by date.
func sortHolidays(hs []Holiday) {
	slices.SortFunc(hs, func(a, b Holiday) int {
		if a.Date < b.Date {
			return -1
		}
		if a.Date > b.Date {
			return 1
		}
		return 0
	})
}
