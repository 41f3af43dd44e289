package main

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// Reports are by semester (year and 1 or 2): the pelaksana operasional
// reports to the village head as penasihat each semester and yearly (PP
// 11/2021, the periodic reports of the operational executive), and the
// Kemendesa ranking reads the year's turnover and profit, which two
// semesters sum to. Money is whole rupiah.

// ReportInput is the body of POST /enterprises/{id}/reports. Profit is
// computed (revenue - costs, negative for a loss); PADes is the part of
// the profit paid to the village as its own revenue (pendapatan asli desa).
type ReportInput struct {
	UnitID    string `json:"unit_id"`
	Year      int    `json:"year" range:"invalid_year"`
	Semester  int    `json:"semester" range:"invalid_period"`
	Revenue   int64  `json:"revenue" range:"invalid_amount"`
	Costs     int64  `json:"costs" range:"invalid_amount"`
	PADes     int64  `json:"pades" range:"invalid_amount"`
	Assets    int64  `json:"assets" range:"invalid_amount"`
	Employees int64  `json:"employees" range:"invalid_amount"`
	Note      string `json:"note,omitempty"`
}

// CorrectionInput is the body of POST .../reports/{report}/correct: the
// semester's figures again, in full; the previous ones go to history.
type CorrectionInput struct {
	Revenue   int64  `json:"revenue" range:"invalid_amount"`
	Costs     int64  `json:"costs" range:"invalid_amount"`
	PADes     int64  `json:"pades" range:"invalid_amount"`
	Assets    int64  `json:"assets" range:"invalid_amount"`
	Employees int64  `json:"employees" range:"invalid_amount"`
	Note      string `json:"note,omitempty"`
}

// figures are a report's numbers.
type figures struct {
	Revenue   int64  `json:"revenue"`
	Costs     int64  `json:"costs"`
	Profit    int64  `json:"profit"`
	PADes     int64  `json:"pades"`
	Assets    int64  `json:"assets"`
	Employees int64  `json:"employees"`
	Note      string `json:"note,omitempty"`
}

// Revision is a report's earlier figures, kept when it was corrected.
type Revision struct {
	Revision    int64     `json:"revision"`
	SubmittedBy string    `json:"submitted_by,omitempty"`
	ReplacedAt  time.Time `json:"replaced_at"`
	figures
}

// report is a reports record's fields.
type report struct {
	EnterpriseID string `json:"enterprise_id"`
	UnitID       string `json:"unit_id"`
	UnitType     string `json:"unit_type"`
	Year         int    `json:"year"`
	Semester     int    `json:"semester"`
	figures
	SubmittedBy string     `json:"submitted_by,omitempty"`
	Revision    int64      `json:"revision"`
	History     []Revision `json:"history,omitempty"`
}

// ReportView is a report as the API answers it; SubmittedBy and History
// only for readers with bumdes.enterprises.read.
type ReportView struct {
	ID     string `json:"id"`
	Period string `json:"period"`
	report
	UpdatedAt time.Time `json:"updated_at"`
}

func reportView(req *sdk.Request, rec *sdk.Record) (ReportView, error) {
	v := ReportView{ID: rec.ID, UpdatedAt: rec.UpdatedAt}
	if err := rec.Decode(&v.report); err != nil {
		return v, err
	}
	v.Period = periodLabel(v.Year, v.Semester)
	if !req.Can(permRead) {
		v.SubmittedBy, v.History = "", nil
	}
	return v, nil
}

// maxFigure bounds every reported rupiah figure and capital entry: Rp 10
// trillion is itself accepted, one rupiah more is not. It is far above any
// village enterprise (the largest report hundreds of billions), and low
// enough that the regency's sums over hundreds of villages and years stay
// inside int64 (9.2e18), so a typo or a hostile figure cannot overflow the
// roll-up. It is not a plausibility bound for one enterprise: a lower one
// would have to be argued per unit type and would refuse the few large
// ones (a tourism or water unit serving a whole district), while the
// regency's reviewer sees every figure on the roll-up.
const maxFigure = 10_000_000_000_000

// maxEmployees bounds a report's employees: 100,000 is itself accepted,
// more is a typo (a village enterprise employs tens, the largest a few
// hundred; a village has a few thousand residents).
const maxEmployees = 100_000

// check checks the figures and computes the profit.
func (f *figures) check() error {
	for _, x := range []struct {
		name   string
		v, max int64
	}{{"revenue", f.Revenue, maxFigure}, {"costs", f.Costs, maxFigure}, {"pades", f.PADes, maxFigure}, {"assets", f.Assets, maxFigure}, {"employees", f.Employees, maxEmployees}} {
		if x.v < 0 {
			return invalid(codeNegative, x.name, "%s must not be negative (%d)", x.name, x.v)
		}
		if x.v > x.max {
			return invalid(codeInvalidAmount, x.name, "%s must be at most %d", x.name, x.max)
		}
	}
	var err error
	if f.Note, err = cleanText("note", f.Note, 1000); err != nil {
		return err
	}
	f.Profit = f.Revenue - f.Costs
	return nil
}

// checkPeriod checks a semester that has begun in the tenant's calendar.
func checkPeriod(req *sdk.Request, year, semester int) error {
	if err := checkYear(req, "year", year); err != nil {
		return err
	}
	if semester != 1 && semester != 2 {
		return invalid(codeInvalidPeriod, "semester", "semester must be 1 (January to June) or 2 (July to December)")
	}
	start := fmt.Sprintf("%d-01-01", year)
	if semester == 2 {
		start = fmt.Sprintf("%d-07-01", year)
	}
	if start > req.Today() {
		return invalid(codePeriodInFuture, "semester", "%s has not begun yet (today is %s)", periodLabel(year, semester), req.Today())
	}
	return nil
}

// submitReport answers POST /enterprises/{id}/reports.
func submitReport(r *http.Request) (int, any, error) {
	var in ReportInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	return addReport(r, in)
}

func addReport(r *http.Request, in ReportInput) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	ent, _, err := loadEnterprise(r)
	if err != nil {
		return 0, nil, err
	}
	if in.UnitID == "" {
		return 0, nil, invalid(codeUnitNotFound, "unit_id", "unit_id is required")
	}
	_, u, err := loadUnit(r, ent.ID, in.UnitID)
	if err != nil {
		return 0, nil, invalid(codeUnitNotFound, "unit_id", "unit_id names no unit of this enterprise")
	}
	if err := checkPeriod(req, in.Year, in.Semester); err != nil {
		return 0, nil, err
	}
	f := figures{Revenue: in.Revenue, Costs: in.Costs, PADes: in.PADes, Assets: in.Assets, Employees: in.Employees, Note: in.Note}
	if err := f.check(); err != nil {
		return 0, nil, err
	}
	rep := report{EnterpriseID: ent.ID, UnitID: in.UnitID, UnitType: u.Type, Year: in.Year, Semester: in.Semester, figures: f, SubmittedBy: req.User, Revision: 1}
	b := req.Batch()
	w := b.Insert("reports", rep)
	b.Publish(evReport, reportEvent(req, &rep, false))
	if err := b.Commit(ctx); err != nil {
		if errors.Is(err, sdk.ErrDuplicate) {
			return 0, nil, sdk.Errorf(http.StatusConflict, codeReportExists, "the unit already reported %s: correct that report instead", periodLabel(in.Year, in.Semester))
		}
		return 0, nil, err
	}
	v, err := reportView(req, &w.Record)
	return http.StatusCreated, v, err
}

func reportEvent(req *sdk.Request, rep *report, corrected bool) map[string]any {
	return map[string]any{"enterprise": rep.EnterpriseID, "tenant": req.Tenant, "unit": rep.UnitID, "year": rep.Year, "semester": rep.Semester,
		"revenue": rep.Revenue, "costs": rep.Costs, "profit": rep.Profit, "pades": rep.PADes, "corrected": corrected}
}

// correctReport answers POST /enterprises/{id}/reports/{report}/correct.
func correctReport(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	var in CorrectionInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	ent, _, err := loadEnterprise(r)
	if err != nil {
		return 0, nil, err
	}
	notFound := func() error {
		return sdk.Errorf(http.StatusNotFound, codeReportNotFound, "no report with this id in the enterprise")
	}
	rec, old, err := load[report](r, "reports", r.PathValue("report"), notFound)
	if err != nil {
		return 0, nil, err
	}
	rep := *old
	if rep.EnterpriseID != ent.ID {
		return 0, nil, notFound()
	}
	f := figures{Revenue: in.Revenue, Costs: in.Costs, PADes: in.PADes, Assets: in.Assets, Employees: in.Employees, Note: in.Note}
	if err := f.check(); err != nil {
		return 0, nil, err
	}
	history := append(rep.History, Revision{Revision: rep.Revision, SubmittedBy: rep.SubmittedBy, ReplacedAt: req.Now().UTC(), figures: rep.figures})
	rep.figures, rep.Revision, rep.SubmittedBy = f, rep.Revision+1, req.User
	b := req.Batch()
	w := b.Update("reports", rec.ID, rec.Version, map[string]any{"revenue": f.Revenue, "costs": f.Costs, "profit": f.Profit, "pades": f.PADes,
		"assets": f.Assets, "employees": f.Employees, "note": f.Note, "submitted_by": req.User, "revision": rep.Revision, "history": history})
	b.Publish(evReport, reportEvent(req, &rep, true))
	b.Audit("report.correct", rec.ID, map[string]any{"revision": rep.Revision})
	if err := b.Commit(r.Context()); err != nil {
		return 0, nil, err
	}
	v, err := reportView(req, &w.Record)
	return http.StatusOK, v, err
}

// listReports answers GET /enterprises/{id}/reports (public): ?year= and
// ?unit= filter; newest period first.
func listReports(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ent, _, err := loadEnterprise(r)
	if err != nil {
		return 0, nil, err
	}
	off, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	q := req.Records("reports").Query().Where("enterprise_id", sdk.Eq, ent.ID).OrderBy("year", true).OrderBy("semester", true).
		OrderBy("unit_type", false).Page(off, limit).WithTotal()
	if s := r.URL.Query().Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 2000 || y > 2100 {
			return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidYear, "year %q is not a year from 2000 to 2100", s)
		}
		q.Where("year", sdk.Eq, y)
	}
	if u := r.URL.Query().Get("unit"); u != "" {
		q.Where("unit_id", sdk.Eq, u)
	}
	recs, total, err := q.Run(r.Context())
	if err != nil {
		return 0, nil, err
	}
	items := make([]ReportView, 0, len(recs))
	for i := range recs {
		v, err := reportView(req, &recs[i])
		if err != nil {
			return 0, nil, err
		}
		items = append(items, v)
	}
	return http.StatusOK, sdk.ListOf[ReportView]{Items: items, Total: total}, nil
}
