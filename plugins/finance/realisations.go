package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// entryInput is a realisation entry as POST /budgets/{year}/realisations
// takes it, as JSON or as the fields of a multipart form whose file part
// "evidence" is the evidence (a receipt, a report, a photo: PDF, JPEG,
// PNG or WebP up to 5 MiB). Amount is whole rupiah; date YYYY-MM-DD in the
// budget's year, not after the village's today.
type entryInput struct {
	Section     string `json:"section"`
	Code        string `json:"code"`
	Account     string `json:"account,omitempty"`
	Date        string `json:"date"`
	Amount      int64  `json:"amount" range:"invalid_amount"`
	Description string `json:"description"`
}

// Evidence describes an entry's evidence file.
type Evidence = sdk.Evidence

// entry is a stored realisation entry.
type entry struct {
	Year        int       `json:"year"`
	Key         string    `json:"key"`
	Section     string    `json:"section"`
	Code        string    `json:"code"`
	Account     string    `json:"account,omitempty"`
	Name        string    `json:"name"`
	Date        string    `json:"date"`
	Amount      int64     `json:"amount"`
	Description string    `json:"description"`
	Evidence    *Evidence `json:"evidence,omitempty"`
	RecordedBy  string    `json:"recorded_by,omitempty"`
	ReversedBy  string    `json:"reversed_by,omitempty"`
	Reverses    string    `json:"reverses,omitempty"`
}

// EntryView is a realisation entry as the API answers it; Line is the
// line's budget and realisation after the entry (on POST only).
type EntryView struct {
	ID string `json:"id"`
	entry
	CreatedAt time.Time `json:"created_at"`
	Line      *LineSum  `json:"line,omitempty"`
}

// LineSum is a line's budget and what has been realised against it.
type LineSum struct {
	Budget   int64 `json:"budget"`
	Realised int64 `json:"realised"`
}

// readEntry reads the entry and, from a multipart form, its evidence.
func readEntry(r *http.Request) (entryInput, io.Reader, string, error) {
	var in entryInput
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/x-www-form-urlencoded" {
		// The screen's form without a file; or JSON that curl's -d
		// labelled as a form, which every other route reads as JSON.
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return in, nil, "", sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the form cannot be read: %v", err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] == '{' {
			return in, nil, "", sdk.Bind(r, &in)
		}
		if err := r.ParseForm(); err != nil {
			return in, nil, "", sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the form cannot be read: %v", err)
		}
		for name, vs := range r.PostForm {
			if err := setEntryField(&in, name, vs[0]); err != nil {
				return in, nil, "", err
			}
		}
		return in, nil, "", nil
	}
	if mt != "multipart/form-data" {
		return in, nil, "", sdk.Bind(r, &in)
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return in, nil, "", sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the multipart form cannot be read: %v", err)
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return in, nil, "", nil
		}
		if err != nil {
			return in, nil, "", sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the multipart form cannot be read: %v", err)
		}
		if part.FormName() == "evidence" {
			if part.FileName() == "" {
				continue
			}
			// The file comes last: fields after it are not read.
			return in, part, part.FileName(), nil
		}
		b, err := io.ReadAll(io.LimitReader(part, 4<<10))
		if err != nil {
			return in, nil, "", sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the multipart form cannot be read: %v", err)
		}
		if err := setEntryField(&in, part.FormName(), string(b)); err != nil {
			return in, nil, "", err
		}
	}
}

// setEntryField sets a form field of an entry.
func setEntryField(in *entryInput, name, v string) error {
	switch name {
	case "section":
		in.Section = v
	case "code":
		in.Code = v
	case "account":
		in.Account = v
	case "date":
		in.Date = v
	case "description":
		in.Description = v
	case "amount":
		n, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(v), ".", ""), 10, 64)
		if err != nil {
			return &sdk.Error{Status: http.StatusUnprocessableEntity, Code: codeInvalidAmount, Field: "amount", Message: "amount must be whole rupiah"}
		}
		in.Amount = n
	case "line": // the screen's select: section|code|account
		parts := strings.SplitN(v, "|", 3)
		if len(parts) == 3 {
			in.Section, in.Code, in.Account = parts[0], parts[1], parts[2]
		}
	case "csrf_token", "confirmed", "evidence":
	default:
		return sdk.Errorf(http.StatusBadRequest, sdk.CodeUnknownField, "unknown field %q", name)
	}
	return nil
}

func entryErr(code sdk.Code, field, format string, args ...any) error {
	return &sdk.Error{Status: http.StatusUnprocessableEntity, Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// checkEntry applies the rules of an entry that need no storage.
func checkEntry(req *sdk.Request, year int, in *entryInput) error {
	in.Code = strings.TrimSuffix(strings.TrimSpace(in.Code), ".")
	in.Account = strings.TrimSuffix(strings.TrimSpace(in.Account), ".")
	in.Description = strings.TrimSpace(in.Description)
	if _, err := time.Parse(time.DateOnly, in.Date); err != nil {
		return entryErr(codeInvalidDate, "date", "date %q is not YYYY-MM-DD", in.Date)
	}
	if !strings.HasPrefix(in.Date, strconv.Itoa(year)+"-") {
		return entryErr(codeDateOutsideYear, "date", "date %s is not in the budget year %d", in.Date, year)
	}
	if in.Date > req.Today() {
		return entryErr(codeDateInFuture, "date", "date %s is after today (%s)", in.Date, req.Today())
	}
	if in.Amount < 1 || in.Amount > maxAmount {
		return entryErr(codeInvalidAmount, "amount", "amount %d is not whole rupiah from 1 to %d", in.Amount, int64(maxAmount))
	}
	if in.Description == "" || input.Text(in.Description, 500) != nil {
		return entryErr(codeInvalidDescription, "description", "the description must be text of 1 to 500 characters")
	}
	return nil
}

// postRealisation records an entry: POST /budgets/{year}/realisations.
// The line's running total rises in the same batch as the entry is
// stored, on the condition (for spending and financing expenditures)
// that it stays within the line's budget.
func postRealisation(r *http.Request) (int, any, error) {
	_, status, v, err := recordEntry(r)
	return status, v, err
}

// recordEntry is postRealisation, also answering the entry as read (for
// the screen to keep the form's values).
func recordEntry(r *http.Request) (in entryInput, status int, answer any, err error) {
	year, err := parseYear(r.PathValue("year"))
	if err != nil {
		return in, 0, nil, err
	}
	in, file, fileName, err := readEntry(r)
	if err != nil {
		return in, 0, nil, err
	}
	status, answer, err = storeEntry(r, year, in, file, fileName)
	return in, status, answer, err
}

// storeEntry checks and stores an entry.
func storeEntry(r *http.Request, year int, in entryInput, file io.Reader, fileName string) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	if err := checkEntry(req, year, &in); err != nil {
		return 0, nil, err
	}
	approved, _, err := req.Records("budgets").Query().Where("year", sdk.Eq, year).Where("status", sdk.Eq, statusOK).Page(0, 1).Run(ctx)
	if err != nil {
		return 0, nil, err
	}
	if len(approved) == 0 {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeBudgetNotApproved, "the budget of %d is not approved: realisation is recorded against an approved budget", year)
	}
	key := lineKey(in.Section, in.Code, in.Account)
	recs, _, err := req.Records("ledger").Query().Where("year", sdk.Eq, year).Where("key", sdk.Eq, key).Page(0, 1).Run(ctx)
	if err != nil {
		return 0, nil, err
	}
	var line ledgerLine
	if len(recs) == 1 {
		err = recs[0].Decode(&line)
	}
	if err != nil {
		return 0, nil, err
	}
	if len(recs) == 0 || !line.Active {
		return 0, nil, entryErr(codeUnknownLine, "code", "the approved budget of %d has no %s line %s %s", year, in.Section, in.Code, in.Account)
	}
	if capped(line.Section, line.Code) && line.Realised+in.Amount > line.Budget {
		return 0, nil, overBudget(line, in.Amount)
	}
	e := entry{Year: year, Key: key, Section: in.Section, Code: in.Code, Account: in.Account, Name: line.Name,
		Date: in.Date, Amount: in.Amount, Description: in.Description, RecordedBy: req.User}
	if file != nil {
		ev, err := req.PutEvidence(ctx, fileName, file)
		if err != nil {
			return 0, nil, err
		}
		e.Evidence = ev
	}
	b := req.Batch()
	var where []sdk.Filter
	if capped(line.Section, line.Code) {
		where = []sdk.Filter{{Field: "budget", Op: sdk.Eq, Value: line.Budget}, {Field: "realised", Op: sdk.Le, Value: line.Budget - in.Amount}}
	}
	inc := b.Increment("ledger", recs[0].ID, map[string]float64{"realised": float64(in.Amount)}, where...)
	ins := b.Insert("realisations", e)
	b.Publish(eventRealised, map[string]any{"village": req.Tenant, "year": year, "section": in.Section, "code": in.Code, "account": in.Account,
		"source": line.Source, "date": in.Date, "amount": in.Amount, "line_budget": line.Budget, "line_realised": line.Realised + in.Amount})
	if err := b.Commit(ctx); err != nil {
		if e.Evidence != nil {
			if derr := req.DeleteFile(ctx, e.Evidence.File); derr != nil {
				sdk.Logf(ctx, "warn", "evidence file %s left unreferenced: %v", e.Evidence.File, derr)
			}
		}
		if errors.Is(err, sdk.ErrConditionFailed) {
			return 0, nil, overBudget(line, in.Amount)
		}
		return 0, nil, err
	}
	var after ledgerLine
	_ = inc.Record.Decode(&after)
	v := EntryView{ID: ins.Record.ID, entry: e, CreatedAt: ins.Record.CreatedAt, Line: &LineSum{Budget: after.Budget, Realised: after.Realised}}
	return http.StatusCreated, v, nil
}

func overBudget(line ledgerLine, amount int64) error {
	return entryErr(codeExceedsBudget, "amount", "line %s %s has %d left of its budget %d; %d would exceed it",
		line.Code, line.Account, max(line.Budget-line.Realised, 0), line.Budget, amount)
}

// reverseInput is the body of POST .../realisations/{id}/reverse: why
// the entry is cancelled (a wrong amount, a wrong line).
type reverseInput struct {
	Reason string `json:"reason"`
}

// reverseRealisation cancels an entry with a reversing entry of the
// opposite amount, dated today (a correction keeps the books' trail
// rather than deleting): POST /budgets/{year}/realisations/{id}/reverse.
func reverseRealisation(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	year, err := parseYear(r.PathValue("year"))
	if err != nil {
		return 0, nil, err
	}
	var in reverseInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" || input.Text(in.Reason, 500) != nil {
		return 0, nil, entryErr(codeInvalidDescription, "reason", "the reason must be text of 1 to 500 characters")
	}
	rec, err := req.Records("realisations").Get(ctx, r.PathValue("id"))
	var e entry
	if err == nil {
		err = rec.Decode(&e)
	}
	if errors.Is(err, sdk.ErrNotFound) || (err == nil && e.Year != year) {
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeRealisationNotFound, "no entry %s in %d", r.PathValue("id"), year)
	}
	if err != nil {
		return 0, nil, err
	}
	if e.ReversedBy != "" || e.Reverses != "" {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeAlreadyReversed, "entry %s is already reversed, or is itself a reversal", rec.ID)
	}
	lines, _, err := req.Records("ledger").Query().Where("year", sdk.Eq, year).Where("key", sdk.Eq, e.Key).Page(0, 1).Run(ctx)
	if err != nil {
		return 0, nil, err
	}
	if len(lines) == 0 {
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeRealisationNotFound, "entry %s has no line", rec.ID)
	}
	var line ledgerLine
	if err := lines[0].Decode(&line); err != nil {
		return 0, nil, err
	}
	date := req.Today()
	if !strings.HasPrefix(date, strconv.Itoa(year)+"-") {
		date = fmt.Sprintf("%d-12-31", year) // a correction after the year closes lands on its last day
	}
	rev := entry{Year: year, Key: e.Key, Section: e.Section, Code: e.Code, Account: e.Account, Name: e.Name, Date: date,
		Amount: -e.Amount, Description: "Koreksi: " + in.Reason, RecordedBy: req.User, Reverses: rec.ID}
	b := req.Batch()
	inc := b.Increment("ledger", lines[0].ID, map[string]float64{"realised": float64(-e.Amount)}, sdk.Filter{Field: "realised", Op: sdk.Ge, Value: e.Amount})
	ins := b.Insert("realisations", rev)
	b.Update("realisations", rec.ID, rec.Version, map[string]any{"reversed_by": req.User})
	b.Publish(eventReversed, map[string]any{"village": req.Tenant, "year": year, "id": rec.ID, "section": e.Section,
		"code": e.Code, "account": e.Account, "source": line.Source, "amount": e.Amount, "line_budget": line.Budget})
	b.Audit("finance.realisation.reverse", rec.ID, map[string]any{"amount": e.Amount, "reason": in.Reason})
	if err := b.Commit(ctx); err != nil {
		if errors.Is(err, sdk.ErrConflict) || errors.Is(err, sdk.ErrConditionFailed) {
			return 0, nil, sdk.Errorf(http.StatusConflict, codeAlreadyReversed, "entry %s changed meanwhile: read it again", rec.ID)
		}
		return 0, nil, err
	}
	var after ledgerLine
	_ = inc.Record.Decode(&after)
	rev.Reverses = rec.ID
	return http.StatusCreated, EntryView{ID: ins.Record.ID, entry: rev, CreatedAt: ins.Record.CreatedAt, Line: &LineSum{Budget: after.Budget, Realised: after.Realised}}, nil
}

// listRealisations answers GET /budgets/{year}/realisations: the entries,
// newest date first; ?section=&code= narrow them to a line.
func listRealisations(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	year, err := parseYear(r.PathValue("year"))
	if err != nil {
		return 0, nil, err
	}
	off, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	q := req.Records("realisations").Query().Where("year", sdk.Eq, year)
	if s := r.URL.Query().Get("section"); s != "" {
		q = q.Where("section", sdk.Eq, s)
	}
	if c := r.URL.Query().Get("code"); c != "" {
		q = q.Where("code", sdk.Eq, c)
	}
	recs, total, err := q.OrderBy("date", true).OrderBy(sdk.FieldCreatedAt, true).Page(off, limit).WithTotal().Run(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := sdk.ListOf[EntryView]{Items: make([]EntryView, 0, len(recs)), Total: total}
	for _, rec := range recs {
		v := EntryView{ID: rec.ID, CreatedAt: rec.CreatedAt}
		if err := rec.Decode(&v.entry); err != nil {
			return 0, nil, err
		}
		out.Items = append(out.Items, v)
	}
	return http.StatusOK, out, nil
}

// serveEvidence streams an entry's evidence file.
func serveEvidence(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	rec, err := req.Records("realisations").Get(r.Context(), r.PathValue("id"))
	var e entry
	if err == nil {
		err = rec.Decode(&e)
	}
	if err != nil || e.Evidence == nil || strconv.Itoa(e.Year) != r.PathValue("year") {
		sdk.FailErr(w, r, sdk.Errorf(http.StatusNotFound, codeRealisationNotFound, "no evidence for entry %s", r.PathValue("id")))
		return
	}
	sdk.ServeFile(w, r, e.Evidence.File, sdk.FileAnswer{Download: e.Evidence.Name})
}

// ReportLine is a line of a realisation report.
type ReportLine struct {
	Section   string  `json:"section"`
	Code      string  `json:"code"`
	Account   string  `json:"account,omitempty"`
	Name      string  `json:"name"`
	Source    string  `json:"source,omitempty"`
	Budget    int64   `json:"budget"`
	Realised  int64   `json:"realised"`
	Remaining int64   `json:"remaining"`
	Percent   float64 `json:"percent"`
}

// ReportGroup is a subtotal of the report, as the regulation's Laporan
// Realisasi Pelaksanaan APB Desa shows them above the lines: level 1 the
// kelompok of income ("4.1") and financing ("6.1") and the bidang of
// spending ("2"), level 2 the jenis of income and financing ("4.2.1",
// "6.2.2") and the sub-bidang of spending ("2.3"). Amounts in rupiah;
// remaining is budget - realised (the report's "lebih/(kurang)").
type ReportGroup struct {
	Section   string  `json:"section"`
	Code      string  `json:"code"`
	Level     int     `json:"level"`
	Name      string  `json:"name"`
	Budget    int64   `json:"budget"`
	Realised  int64   `json:"realised"`
	Remaining int64   `json:"remaining"`
	Percent   float64 `json:"percent"`
}

// Report is the realisation report of a period: the first semester
// (s1, 1 January to 30 June: Laporan Realisasi Pelaksanaan APBDes Semester
// Pertama) or the whole year (year: Laporan Pertanggungjawaban Realisasi
// Pelaksanaan APBDes), both required of the village head by Permendagri
// 20/2018. Budget and realised carry, besides the sections' totals, the
// surplus (deficit), net financing and SiLPA of the year, the report's
// last rows; groups its subtotals.
type Report struct {
	Village      string        `json:"village"`
	Year         int           `json:"year"`
	Period       string        `json:"period"`
	From         string        `json:"from"`
	To           string        `json:"to"`
	Kind         string        `json:"kind"`
	PerdesNumber string        `json:"perdes_number"`
	Budget       TotalsView    `json:"budget"`
	Realised     TotalsView    `json:"realised"`
	Groups       []ReportGroup `json:"groups"`
	Lines        []ReportLine  `json:"lines"`
}

// reportGroups sums lines into the report's subtotals, in the order of
// the report (income, spending, financing; by code), a group only where a
// line is.
func reportGroups(lines []ReportLine) []ReportGroup {
	at := map[string]int{}
	var gs []ReportGroup
	add := func(l ReportLine, level int, code, name string) {
		k := l.Section + "|" + code
		i, ok := at[k]
		if !ok {
			i = len(gs)
			at[k] = i
			gs = append(gs, ReportGroup{Section: l.Section, Code: code, Level: level, Name: name})
		}
		gs[i].Budget += l.Budget
		gs[i].Realised += l.Realised
	}
	for _, l := range lines {
		switch l.Section {
		case sectionIncome:
			add(l, 1, prefix(l.Code, 2), incomeKelompok[prefix(l.Code, 2)])
			add(l, 2, prefix(l.Code, 3), incomeKinds[prefix(l.Code, 3)])
		case sectionSpending:
			add(l, 1, l.Code[:1], groupName(sectionSpending, l.Code[:1]))
			add(l, 2, canonSub(l.Code), subBidangs[canonSub(l.Code)])
		case sectionFinancing:
			add(l, 1, prefix(l.Code, 2), groupName(sectionFinancing, prefix(l.Code, 2)))
			add(l, 2, prefix(l.Code, 3), financingKinds[prefix(l.Code, 3)])
		}
	}
	for i := range gs {
		gs[i].Remaining = gs[i].Budget - gs[i].Realised
		gs[i].Percent = percent(gs[i].Realised, gs[i].Budget)
	}
	slices.SortStableFunc(gs, func(a, b ReportGroup) int {
		if c := strings.Compare(sectionOrder(a.Section), sectionOrder(b.Section)); c != 0 {
			return c
		}
		return strings.Compare(codeSortKey(a.Code), codeSortKey(b.Code))
	})
	return gs
}

// buildReport builds the report of period from the approved budget and the
// entries dated in the period.
func buildReport(r *http.Request, year int, period string) (*Report, error) {
	req := sdk.From(r)
	ctx := r.Context()
	if req.Level != sdk.Village {
		return nil, errNotAVillage(req)
	}
	to := fmt.Sprintf("%d-12-31", year)
	switch period {
	case "s1":
		to = fmt.Sprintf("%d-06-30", year)
	case "year", "":
		period = "year"
	default:
		return nil, sdk.Errorf(http.StatusBadRequest, codeInvalidPeriod, "period %q is not s1 or year", period)
	}
	asOf := ""
	if period == "s1" {
		asOf = to
	}
	v, err := buildViewAsOf(ctx, req, year, true, asOf)
	if err != nil {
		return nil, err
	}
	groups, err := req.Records("realisations").Aggregate(ctx, sdk.Aggregation{GroupBy: []string{"key"}, Sum: []string{"amount"},
		Where: []sdk.Filter{{Field: "year", Op: sdk.Eq, Value: year}, {Field: "date", Op: sdk.Le, Value: to}}})
	if err != nil {
		return nil, err
	}
	sums := map[string]int64{}
	for _, g := range groups {
		k, _ := g.Key[0].(string)
		sums[k] = int64(g.Sums[0])
	}
	rep := &Report{Village: req.Tenant, Year: year, Period: period, From: fmt.Sprintf("%d-01-01", year), To: to, Kind: v.Kind,
		PerdesNumber: v.PerdesNumber, Budget: v.Totals, Lines: make([]ReportLine, 0, len(v.Lines))}
	for _, l := range v.Lines {
		real := sums[lineKey(l.Section, l.Code, l.Account)]
		rep.Lines = append(rep.Lines, ReportLine{Section: l.Section, Code: l.Code, Account: l.Account, Name: l.Name, Source: l.Source,
			Budget: l.Amount, Realised: real, Remaining: l.Amount - real, Percent: percent(real, l.Amount)})
		switch {
		case l.Section == sectionIncome:
			rep.Realised.Income += real
		case l.Section == sectionSpending:
			rep.Realised.Spending += real
		case strings.HasPrefix(l.Code, "6.1"):
			rep.Realised.FinancingReceipts += real
		default:
			rep.Realised.FinancingExpenditures += real
		}
	}
	rep.Realised = reportSums(rep.Realised.Totals)
	rep.Groups = reportGroups(rep.Lines)
	return rep, nil
}

// serveReport answers GET /budgets/{year}/report?period=s1|year&format=json|csv.
func serveReport(w http.ResponseWriter, r *http.Request) {
	year, err := parseYear(r.PathValue("year"))
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "csv" {
		sdk.FailErr(w, r, sdk.Errorf(http.StatusBadRequest, codeInvalidFormat, "format %q is not json or csv", format))
		return
	}
	rep, err := buildReport(r, year, r.URL.Query().Get("period"))
	if err != nil {
		sdk.FailErr(w, r, err)
		return
	}
	if format != "csv" {
		sdk.JSON(w, http.StatusOK, rep)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="realisasi-%s-%d-%s.csv"`, rep.Village, year, rep.Period))
	writeReportCSV(w, rep)
}

// writeReportCSV writes the report as CSV: a header row, a row per line,
// and the section totals.
func writeReportCSV(w io.Writer, rep *Report) {
	cw := csv.NewWriter(w)
	cw.Write([]string{"bagian", "kode", "rekening", "uraian", "sumber_dana", "anggaran", "realisasi", "sisa", "persen"})
	names := map[string]string{sectionIncome: "pendapatan", sectionSpending: "belanja", sectionFinancing: "pembiayaan"}
	for _, l := range rep.Lines {
		cw.Write([]string{names[l.Section], l.Code, l.Account, csvSafe(l.Name), l.Source, strconv.FormatInt(l.Budget, 10),
			strconv.FormatInt(l.Realised, 10), strconv.FormatInt(l.Remaining, 10), strconv.FormatFloat(l.Percent, 'f', 1, 64)})
	}
	for _, t := range []struct {
		name      string
		bud, real int64
	}{{"JUMLAH PENDAPATAN", rep.Budget.Income, rep.Realised.Income}, {"JUMLAH BELANJA", rep.Budget.Spending, rep.Realised.Spending},
		{"PENERIMAAN PEMBIAYAAN", rep.Budget.FinancingReceipts, rep.Realised.FinancingReceipts},
		{"PENGELUARAN PEMBIAYAAN", rep.Budget.FinancingExpenditures, rep.Realised.FinancingExpenditures}} {
		cw.Write([]string{"jumlah", "", "", t.name, "", strconv.FormatInt(t.bud, 10), strconv.FormatInt(t.real, 10),
			strconv.FormatInt(t.bud-t.real, 10), strconv.FormatFloat(percent(t.real, t.bud), 'f', 1, 64)})
	}
	cw.Flush()
}

// csvSafe keeps a spreadsheet from reading a name as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
