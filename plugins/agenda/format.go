package main

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/ui"
	"github.com/teambition/rrule-go"
)

// categoryName is a category's label in lang (id or en).
func categoryName(code, lang string) string {
	for _, c := range categories {
		if c.Code == code {
			if lang == "en" {
				return c.EN
			}
			return c.ID
		}
	}
	return code
}

var (
	daysID = [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
	daysEN = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

func lang(r *http.Request) string { return ui.Info(r).Lang }

// dayName is the weekday in the page's language.
func dayName(r *http.Request, d time.Weekday) string {
	if lang(r) == "en" {
		return daysEN[d]
	}
	return daysID[d]
}

// longDate is "Selasa, 8 Desember 2026".
func longDate(r *http.Request, t time.Time) string {
	return dayName(r, t.Weekday()) + ", " + ui.Date(t)
}

// clock is "09.00", as Indonesians write the time.
func clock(t time.Time) string { return t.Format("15.04") }

// zoneOf is WIB, WITA or WIT.
func zoneOf(t time.Time) string {
	abbr, off := t.Zone()
	return zoneName(abbr, off)
}

// when describes an occurrence: "Selasa, 8 Desember 2026, 09.00–11.00
// WIB", "Sabtu, 5 Desember 2026 (sehari penuh)", or its first and last
// days when it spans several.
func when(r *http.Request, allDay bool, start, end time.Time, loc *time.Location) string {
	start, end = start.In(loc), end.In(loc)
	if allDay {
		last := end.Add(-time.Nanosecond)
		if last.Format(time.DateOnly) == start.Format(time.DateOnly) {
			return longDate(r, start) + " (" + ui.Tr(r, "sehari penuh", "all day") + ")"
		}
		return longDate(r, start) + " – " + longDate(r, last)
	}
	if start.Format(time.DateOnly) == end.Format(time.DateOnly) {
		return longDate(r, start) + ", " + clock(start) + "–" + clock(end) + " " + zoneOf(start)
	}
	return longDate(r, start) + " " + clock(start) + " – " + longDate(r, end) + " " + clock(end) + " " + zoneOf(end)
}

// timeOfDay is an occurrence's hours for a day's list: "09.00–11.00 WIB"
// or "Sehari penuh".
func timeOfDay(r *http.Request, allDay bool, start, end time.Time, loc *time.Location) string {
	if allDay {
		return ui.Tr(r, "Sehari penuh", "All day")
	}
	start, end = start.In(loc), end.In(loc)
	if start.Format(time.DateOnly) != end.Format(time.DateOnly) {
		return clock(start) + " – " + ui.Date(end) + " " + clock(end) + " " + zoneOf(start)
	}
	return clock(start) + "–" + clock(end) + " " + zoneOf(start)
}

var ordinalsID = map[int]string{1: "pertama", 2: "kedua", 3: "ketiga", 4: "keempat", -1: "terakhir"}
var ordinalsEN = map[int]string{1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}

// describeRule says a rule in words: "Setiap bulan pada Selasa kedua,
// sampai 31 Desember 2027"; the RRULE itself when it is unusual.
func describeRule(r *http.Request, rule string, loc *time.Location) string {
	if rule == "" {
		return ui.Tr(r, "Tidak berulang", "Does not repeat")
	}
	opt, err := rrule.StrToROptionInLocation(rule, loc)
	if err != nil {
		return rule
	}
	en := lang(r) == "en"
	n := max(opt.Interval, 1)
	unit := map[rrule.Frequency][2]string{rrule.DAILY: {"hari", "day"}, rrule.WEEKLY: {"minggu", "week"},
		rrule.MONTHLY: {"bulan", "month"}, rrule.YEARLY: {"tahun", "year"}}[opt.Freq]
	var b strings.Builder
	if en {
		if n == 1 {
			b.WriteString("Every " + unit[1])
		} else {
			b.WriteString("Every " + strconv.Itoa(n) + " " + unit[1] + "s")
		}
	} else {
		if n == 1 {
			b.WriteString("Setiap " + unit[0])
		} else {
			b.WriteString("Setiap " + strconv.Itoa(n) + " " + unit[0])
		}
	}
	if len(opt.Byweekday) > 0 {
		var days []string
		for _, d := range opt.Byweekday {
			wd := time.Weekday((d.Day() + 1) % 7) // rrule: MO is 0
			name := dayName(r, wd)
			if k := d.N(); k != 0 {
				if en {
					name = ordinalsEN[k] + " " + name
				} else if o, ok := ordinalsID[k]; ok {
					name += " " + o
				} else {
					name += " ke-" + strconv.Itoa(k)
				}
			}
			days = append(days, name)
		}
		b.WriteString(ui.Tr(r, " pada ", " on ") + strings.Join(days, ", "))
	}
	if len(opt.Bymonthday) > 0 {
		var ds []string
		for _, d := range opt.Bymonthday {
			ds = append(ds, strconv.Itoa(d))
		}
		b.WriteString(ui.Tr(r, " tanggal ", " on day ") + strings.Join(ds, ", "))
	}
	if opt.Count > 0 {
		b.WriteString(ui.Tr(r, ", sebanyak "+strconv.Itoa(opt.Count)+" kali", ", "+strconv.Itoa(opt.Count)+" times"))
	}
	if !opt.Until.IsZero() {
		b.WriteString(ui.Tr(r, ", sampai ", ", until ") + ui.Date(opt.Until.In(loc)))
	}
	return b.String()
}

// visibilityName labels public and internal.
func visibilityName(r *http.Request, v string) string {
	if v == visPublic {
		return ui.Tr(r, "Publik", "Public")
	}
	return ui.Tr(r, "Internal", "Internal")
}

// statusBadge is the event's status as a badge.
func statusBadge(r *http.Request, status string) ui.Node {
	if status == statusCancelled {
		return ui.Badge("danger", ui.Tr(r, "Dibatalkan", "Cancelled"))
	}
	return ui.Badge("success", ui.Tr(r, "Terjadwal", "Scheduled"))
}

// monthName is "Desember 2026".
func monthName(t time.Time) string {
	d := ui.Date(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC))
	return strings.TrimPrefix(d, "1 ")
}

// feedPath is the absolute path of the tenant's iCalendar feed.
func feedPath(r *http.Request) string {
	return "/api/v1/t/" + sdk.From(r).Tenant + "/agenda/calendar.ics"
}
