package main

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/balaidesa/balai/sdk"
)

// financingCapitalCode is the APBDes account of the village's capital put
// into its enterprise: financing expenditure 6.2.2 Penyertaan Modal Desa
// (Permendagri 20/2018, as plugins/finance/accounts.go keeps it).
const financingCapitalCode = "6.2.2"

// CapitalInput is the body of POST /enterprises/{id}/capital: one transfer
// of capital (penyertaan modal) in whole rupiah. Source desa (a village's
// own enterprise) is compared with the APBDes; desa_anggota (a BUMDes
// Bersama) names the member village that put it in.
type CapitalInput struct {
	Year    int    `json:"year"`
	Amount  int64  `json:"amount"`
	Source  string `json:"source"`
	Village string `json:"village,omitempty"`
	Date    string `json:"date"`
	Note    string `json:"note,omitempty"`
}

// capitalEntry is a capital record's fields.
type capitalEntry struct {
	EnterpriseID string `json:"enterprise_id"`
	Year         int    `json:"year"`
	Amount       int64  `json:"amount"`
	Source       string `json:"source"`
	Village      string `json:"village,omitempty"`
	Date         string `json:"date"`
	Note         string `json:"note,omitempty"`
	RecordedBy   string `json:"recorded_by,omitempty"`
}

// CapitalView is an entry as the API answers it.
type CapitalView struct {
	ID string `json:"id"`
	capitalEntry
}

// Budget statuses of a CapitalYear.
const (
	// budgetLinked: the year's approved APBDes was read.
	budgetLinked = "linked"
	// budgetNone: the village has no approved APBDes for the year.
	budgetNone = "no_budget"
	// budgetFinanceOff: the finance module is not enabled: recorded as typed.
	budgetFinanceOff = "finance_off"
	// budgetNotApplicable: a BUMDes Bersama, whose capital comes from
	// several villages' budgets that the district cannot read.
	budgetNotApplicable = "not_applicable"
	// budgetUnavailable: the finance module did not answer; try later.
	budgetUnavailable = "unavailable"
)

// CapitalYear compares a year's capital with the APBDes: Recorded sums
// every entry, FromVillage the entries of source desa; Budgeted and
// Realised are the approved APBDes's 6.2.2 lines (status linked only).
// Mismatch is true when what the village paid out (Realised) is not what
// the enterprise recorded receiving from it (FromVillage), or the
// enterprise recorded more than was budgeted.
type CapitalYear struct {
	Year        int    `json:"year"`
	Recorded    int64  `json:"recorded"`
	FromVillage int64  `json:"from_village"`
	Status      string `json:"budget_status"`
	Budgeted    int64  `json:"budgeted"`
	Realised    int64  `json:"realised"`
	Mismatch    bool   `json:"mismatch"`
	Difference  int64  `json:"difference"`
}

// CapitalList is the answer of GET /enterprises/{id}/capital.
type CapitalList struct {
	Items []CapitalView `json:"items"`
	Total int64         `json:"total"`
	Years []CapitalYear `json:"years"`
	Sum   int64         `json:"sum"`
	by    map[int]*CapitalYear
}

// recordCapital answers POST /enterprises/{id}/capital.
func recordCapital(r *http.Request) (int, any, error) {
	var in CapitalInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	return addCapital(r, in)
}

func addCapital(r *http.Request, in CapitalInput) (int, any, error) {
	req := sdk.From(r)
	ent, e, err := loadEnterprise(r)
	if err != nil {
		return 0, nil, err
	}
	if err := checkYear(req, "year", in.Year); err != nil {
		return 0, nil, err
	}
	if in.Amount <= 0 {
		return 0, nil, invalid(codeInvalidAmount, "amount", "amount must be a positive whole number of rupiah")
	}
	c := capitalEntry{EnterpriseID: ent.ID, Year: in.Year, Amount: in.Amount, Source: strings.TrimSpace(in.Source), RecordedBy: req.User}
	if _, ok := findLabel(capitalSources, c.Source); !ok {
		return 0, nil, invalid(codeInvalidSource, "source", "source must be one of %s", codes(capitalSources))
	}
	switch {
	case c.Source == "desa" && e.Kind != KindDesa:
		return 0, nil, invalid(codeInvalidSource, "source", "a BUMDes Bersama's capital from a village is source desa_anggota with the village's code")
	case c.Source == "desa_anggota":
		c.Village = strings.TrimSpace(in.Village)
		if e.Kind != KindBersama || c.Village == "" || !contains(e.Members, c.Village) {
			return 0, nil, invalid(codeInvalidSource, "village", "source desa_anggota needs village, one of the BUMDes Bersama's members")
		}
	case in.Village != "":
		return 0, nil, invalid(codeInvalidSource, "village", "village is given only with source desa_anggota")
	}
	if c.Date, err = cleanDate(req, "date", in.Date, true); err != nil {
		return 0, nil, err
	}
	if !strings.HasPrefix(c.Date, strconv.Itoa(in.Year)+"-") {
		return 0, nil, invalid(codeInvalidDate, "date", "date %s is not in %d, the budget year of the entry", c.Date, in.Year)
	}
	if c.Note, err = cleanText("note", in.Note, 500); err != nil {
		return 0, nil, err
	}
	b := req.Batch()
	w := b.Insert("capital", c)
	b.Publish(evCapital, map[string]any{"enterprise": ent.ID, "tenant": req.Tenant, "year": c.Year, "amount": c.Amount, "source": c.Source})
	b.Audit("capital.record", ent.ID, map[string]any{"year": c.Year, "amount": c.Amount, "source": c.Source})
	if err := b.Commit(r.Context()); err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, CapitalView{ID: w.Record.ID, capitalEntry: c}, nil
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// listCapital answers GET /enterprises/{id}/capital: every entry, newest
// first, and per year the comparison with the APBDes.
func listCapital(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	ent, e, err := loadEnterprise(r)
	if err != nil {
		return 0, nil, err
	}
	recs, total, err := req.Records("capital").Query().Where("enterprise_id", sdk.Eq, ent.ID).OrderBy("date", true).Page(0, 500).WithTotal().Run(ctx)
	if err != nil {
		return 0, nil, err
	}
	out := CapitalList{Items: make([]CapitalView, 0, len(recs)), Total: total, Years: []CapitalYear{}, by: map[int]*CapitalYear{}}
	for _, rec := range recs {
		v := CapitalView{ID: rec.ID}
		if err := rec.Decode(&v.capitalEntry); err != nil {
			return 0, nil, err
		}
		out.Items = append(out.Items, v)
		y := out.by[v.Year]
		if y == nil {
			y = &CapitalYear{Year: v.Year}
			out.by[v.Year] = y
		}
		y.Recorded += v.Amount
		if v.Source == "desa" {
			y.FromVillage += v.Amount
		}
		out.Sum += v.Amount
	}
	for _, y := range out.by {
		if e.Kind == KindBersama {
			y.Status = budgetNotApplicable
		} else if err := compareBudget(ctx, req, y); err != nil {
			return 0, nil, err
		}
		out.Years = append(out.Years, *y)
	}
	sort.Slice(out.Years, func(i, j int) bool { return out.Years[i].Year > out.Years[j].Year })
	return http.StatusOK, out, nil
}

// budgetAnswer is the part of finance's GET /budgets/{year} read here.
type budgetAnswer struct {
	Lines []struct {
		Section  string `json:"section"`
		Code     string `json:"code"`
		Amount   int64  `json:"amount"`
		Realised int64  `json:"realised"`
	} `json:"lines"`
}

// compareBudget reads the year's approved APBDes from the finance module,
// as the caller, and fills in the comparison.
func compareBudget(ctx context.Context, req *sdk.Request, y *CapitalYear) error {
	res, err := req.Call(ctx, "finance", "GET", "/budgets/"+strconv.Itoa(y.Year), url.Values{"status": {"approved"}}, nil)
	if err != nil {
		sdk.Logf(ctx, "warn", "bumdes: reading the %d budget: %v", y.Year, err)
		y.Status = budgetUnavailable
		return nil
	}
	var b budgetAnswer
	if err := sdk.ReadAnswer(res, &b); err != nil {
		switch {
		case errCode(err) == "module_not_enabled":
			y.Status = budgetFinanceOff
		case isStatus(err, http.StatusNotFound):
			y.Status = budgetNone
			y.Mismatch = y.FromVillage > 0
			y.Difference = y.FromVillage
		default:
			sdk.Logf(ctx, "warn", "bumdes: reading the %d budget: %v", y.Year, err)
			y.Status = budgetUnavailable
		}
		return nil
	}
	y.Status = budgetLinked
	for _, l := range b.Lines {
		if l.Section == "financing" && l.Code == financingCapitalCode {
			y.Budgeted += l.Amount
			y.Realised += l.Realised
		}
	}
	y.Difference = y.FromVillage - y.Realised
	y.Mismatch = y.FromVillage != y.Realised || y.FromVillage > y.Budgeted
	return nil
}

// isStatus reports whether err is an *sdk.Error answered with status.
func isStatus(err error, status int) bool {
	var se *sdk.Error
	return errors.As(err, &se) && se.Status == status
}
