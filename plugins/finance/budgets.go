package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// Limits of a budget.
const (
	maxLines  = 2000
	maxAmount = 1_000_000_000_000 // Rp1 trillion: far above any village budget, below int64 trouble
)

// Version kinds and states.
const (
	kindAPBDes    = "apbdes"
	kindPerubahan = "perubahan"
	statusDraft   = "draft"
	statusOK      = "approved"
)

// Line is one line of a budget, as the API takes and stores it. Amount is
// whole rupiah. Section is income, spending or financing; Code the account
// (accounts.go); Account, for spending only, the type of spending (5.x);
// Source, for spending only, the source of funds (DDS, ADD, ...).
type Line struct {
	Section string `json:"section"`
	Code    string `json:"code"`
	Account string `json:"account,omitempty"`
	Name    string `json:"name"`
	Amount  int64  `json:"amount"`
	Source  string `json:"source,omitempty"`
}

// Totals are the sums of a budget's sections, in rupiah.
type Totals struct {
	Income                int64 `json:"income"`
	Spending              int64 `json:"spending"`
	FinancingReceipts     int64 `json:"financing_receipts"`
	FinancingExpenditures int64 `json:"financing_expenditures"`
}

// draftInput is the body of PUT /budgets/{year}: the whole list of lines
// (it replaces the draft's), the kind of version (apbdes, the default for
// a year without a budget; perubahan to open the change of an approved
// APBDes), and optionally the totals the clerk's own books show, which
// must equal the sums of the lines.
type draftInput struct {
	Kind   string  `json:"kind,omitempty"`
	Lines  []Line  `json:"lines"`
	Totals *Totals `json:"totals,omitempty"`
}

// approveInput is the body of POST /budgets/{year}/approve: the number and
// date of the Peraturan Desa that sets the version.
type approveInput struct {
	PerdesNumber string `json:"perdes_number"`
	PerdesDate   string `json:"perdes_date"`
}

// budget is a stored version.
type budget struct {
	Year                  int    `json:"year"`
	Revision              int    `json:"revision"`
	Kind                  string `json:"kind"`
	Status                string `json:"status"`
	Lines                 []Line `json:"lines"`
	Income                int64  `json:"income"`
	Spending              int64  `json:"spending"`
	FinancingReceipts     int64  `json:"financing_receipts"`
	FinancingExpenditures int64  `json:"financing_expenditures"`
	DanaDesa              int64  `json:"dana_desa"`
	PerdesNumber          string `json:"perdes_number,omitempty"`
	PerdesDate            string `json:"perdes_date,omitempty"`
	ApprovedAt            string `json:"approved_at,omitempty"`
	ApprovedBy            string `json:"approved_by,omitempty"`
	SavedBy               string `json:"saved_by,omitempty"`
}

// ledgerLine is a line of the year's approved budget with what has been
// realised against it.
type ledgerLine struct {
	Year     int    `json:"year"`
	Key      string `json:"key"`
	Section  string `json:"section"`
	Code     string `json:"code"`
	Account  string `json:"account,omitempty"`
	Name     string `json:"name"`
	Group    string `json:"group"`
	Source   string `json:"source,omitempty"`
	Budget   int64  `json:"budget"`
	Realised int64  `json:"realised"`
	Active   bool   `json:"active"`
}

func errNotAVillage(req *sdk.Request) error {
	return sdk.Errorf(http.StatusUnprocessableEntity, codeNotAVillage,
		"budgets are kept by villages: use /api/v1/t/{village code}/finance/... (%s is a %s; its roll-up is GET /summary)", req.Tenant, req.Level)
}

// villageOnly runs fn only at a village tenant and answers 422
// not_a_village anywhere else: a village's budget is the village's, and a
// regency admin writes it by naming the village.
func villageOnly(fn func(*http.Request) (int, any, error)) func(*http.Request) (int, any, error) {
	return func(r *http.Request) (int, any, error) {
		if req := sdk.From(r); req.Level != sdk.Village {
			return 0, nil, errNotAVillage(req)
		}
		return fn(r)
	}
}

// parseYear reads a budget year (2000 to 2100).
func parseYear(s string) (int, error) {
	y, err := strconv.Atoi(s)
	if err != nil || len(s) != 4 || y < 2000 || y > 2100 {
		return 0, sdk.Errorf(http.StatusBadRequest, codeInvalidYear, "year %q is not a budget year from 2000 to 2100", s)
	}
	return y, nil
}

func lineErr(i int, code sdk.Code, field, format string, args ...any) error {
	return &sdk.Error{Status: http.StatusUnprocessableEntity, Code: code, Field: fmt.Sprintf("lines[%d].%s", i, field),
		Message: fmt.Sprintf("line %d: ", i+1) + fmt.Sprintf(format, args...)}
}

// checkLines validates and normalises lines in place (codes without a
// trailing dot, sources in capitals) and returns their totals.
func checkLines(lines []Line) (Totals, error) {
	var t Totals
	if len(lines) == 0 {
		return t, sdk.Errorf(http.StatusUnprocessableEntity, codeNoLines, "a budget needs at least one line")
	}
	if len(lines) > maxLines {
		return t, sdk.Errorf(http.StatusUnprocessableEntity, codeTooManyLines, "a budget has at most %d lines, not %d", maxLines, len(lines))
	}
	seen := make(map[string]int, len(lines))
	for i := range lines {
		l := &lines[i]
		l.Code = strings.TrimSuffix(strings.TrimSpace(l.Code), ".")
		l.Account = strings.TrimSuffix(strings.TrimSpace(l.Account), ".")
		l.Source = sourceCode(l.Source)
		l.Name = strings.TrimSpace(l.Name)
		switch l.Section {
		case sectionIncome, sectionSpending, sectionFinancing:
		default:
			return t, lineErr(i, codeInvalidSection, "section", "section %q is not income, spending or financing", l.Section)
		}
		if err := checkCode(l.Section, l.Code); err != nil {
			return t, lineErr(i, codeInvalidCode, "code", "%v", err)
		}
		if l.Section == sectionSpending {
			if l.Account != "" {
				if err := checkAccount(l.Account); err != nil {
					return t, lineErr(i, codeInvalidAccount, "account", "%v", err)
				}
			}
			if sourceName(l.Source) == "" {
				return t, lineErr(i, codeInvalidSource, "source", "source of funds %q is not one of DDS, ADD, PBH, PAD, BKP, BKK, SWD, SILPA, DLL", l.Source)
			}
		} else {
			if l.Account != "" {
				return t, lineErr(i, codeInvalidAccount, "account", "only spending lines have an account")
			}
			if l.Source != "" {
				return t, lineErr(i, codeInvalidSource, "source", "only spending lines have a source of funds")
			}
		}
		if l.Name == "" || input.Name(l.Name, 200) != nil {
			return t, lineErr(i, codeInvalidLineName, "name", "the name must be one line of 1 to 200 characters")
		}
		if l.Amount < 0 || l.Amount > maxAmount {
			return t, lineErr(i, codeInvalidAmount, "amount", "amount %d is not whole rupiah from 0 to %d", l.Amount, int64(maxAmount))
		}
		k := lineKey(l.Section, l.Code, l.Account)
		if j, dup := seen[k]; dup {
			return t, lineErr(i, codeDuplicateLine, "code", "the same line as line %d (%s %s %s)", j+1, l.Section, l.Code, l.Account)
		}
		seen[k] = i
		switch {
		case l.Section == sectionIncome:
			t.Income += l.Amount
		case l.Section == sectionSpending:
			t.Spending += l.Amount
		case strings.HasPrefix(l.Code, "6.1"):
			t.FinancingReceipts += l.Amount
		default:
			t.FinancingExpenditures += l.Amount
		}
	}
	return t, nil
}

// checkDeclared compares the totals a client sent with the sums.
func checkDeclared(declared *Totals, sums Totals) error {
	if declared == nil {
		return nil
	}
	for _, c := range []struct {
		name      string
		got, want int64
	}{
		{"income", declared.Income, sums.Income}, {"spending", declared.Spending, sums.Spending},
		{"financing_receipts", declared.FinancingReceipts, sums.FinancingReceipts},
		{"financing_expenditures", declared.FinancingExpenditures, sums.FinancingExpenditures},
	} {
		if c.got != c.want {
			return &sdk.Error{Status: http.StatusUnprocessableEntity, Code: codeTotalsMismatch, Field: "totals." + c.name,
				Message: fmt.Sprintf("totals.%s is %d but the lines add up to %d (a difference of %d)", c.name, c.got, c.want, c.got-c.want)}
		}
	}
	return nil
}

// checkBalance is the rule of approval (Permendagri 20/2018: a deficit is
// covered by financing receipts, a surplus goes to financing
// expenditures): income + financing receipts = spending + financing
// expenditures, so that the planned SiLPA of the year is nil.
func checkBalance(t Totals) error {
	gap := t.Income + t.FinancingReceipts - t.Spending - t.FinancingExpenditures
	switch {
	case gap < 0:
		return sdk.Errorf(http.StatusUnprocessableEntity, codeDeficitNotCovered,
			"the budget is not balanced: spending %d and financing expenditures %d exceed income %d and financing receipts %d by %d; cover the deficit with financing receipts (SiLPA 6.1.1) or cut spending",
			t.Spending, t.FinancingExpenditures, t.Income, t.FinancingReceipts, -gap)
	case gap > 0:
		return sdk.Errorf(http.StatusUnprocessableEntity, codeSurplusNotAllocated,
			"the budget is not balanced: income %d and financing receipts %d exceed spending %d and financing expenditures %d by %d; allocate the surplus to spending or financing expenditures",
			t.Income, t.FinancingReceipts, t.Spending, t.FinancingExpenditures, gap)
	}
	return nil
}

// danaDesa is the Dana Desa transfer (4.2.1) of lines.
func danaDesa(lines []Line) int64 {
	var n int64
	for _, l := range lines {
		if l.Section == sectionIncome && prefix(l.Code, 3) == "4.2.1" {
			n += l.Amount
		}
	}
	return n
}

// versions reads the year's versions, the latest first.
func versions(ctx context.Context, req *sdk.Request, year int) ([]sdk.Record, []budget, error) {
	recs, _, err := req.Records("budgets").Query().Where("year", sdk.Eq, year).OrderBy("revision", true).Page(0, 10).Run(ctx)
	if err != nil {
		return nil, nil, err
	}
	bs := make([]budget, len(recs))
	for i := range recs {
		if err := recs[i].Decode(&bs[i]); err != nil {
			return nil, nil, err
		}
	}
	return recs, bs, nil
}

// putBudget saves the year's draft: PUT /budgets/{year}.
func putBudget(r *http.Request) (int, any, error) {
	year, err := parseYear(r.PathValue("year"))
	if err != nil {
		return 0, nil, err
	}
	var in draftInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	sums, err := checkLines(in.Lines)
	if err != nil {
		return 0, nil, err
	}
	if err := checkDeclared(in.Totals, sums); err != nil {
		return 0, nil, err
	}
	return saveDraft(r, year, in.Kind, in.Lines, sums)
}

// saveDraft stores lines as the year's draft of kind (PUT and import).
func saveDraft(r *http.Request, year int, kind string, lines []Line, sums Totals) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	if kind != "" && kind != kindAPBDes && kind != kindPerubahan {
		return 0, nil, &sdk.Error{Status: http.StatusUnprocessableEntity, Code: codeInvalidKind, Field: "kind", Message: fmt.Sprintf("kind %q is not apbdes or perubahan", kind)}
	}
	recs, bs, err := versions(ctx, req, year)
	if err != nil {
		return 0, nil, err
	}
	doc := budget{Year: year, Status: statusDraft, Lines: lines, Income: sums.Income, Spending: sums.Spending,
		FinancingReceipts: sums.FinancingReceipts, FinancingExpenditures: sums.FinancingExpenditures, DanaDesa: danaDesa(lines), SavedBy: req.User}
	b := req.Batch()
	var w *sdk.Written
	switch {
	case len(bs) == 0:
		if kind == kindPerubahan {
			return 0, nil, &sdk.Error{Status: http.StatusUnprocessableEntity, Code: codeInvalidKind, Field: "kind", Message: fmt.Sprintf("%d has no approved APBDes to change yet", year)}
		}
		doc.Kind, doc.Revision = kindAPBDes, 0
		w = b.Insert("budgets", doc)
	case bs[0].Status == statusDraft:
		if kind != "" && kind != bs[0].Kind {
			return 0, nil, &sdk.Error{Status: http.StatusUnprocessableEntity, Code: codeInvalidKind, Field: "kind", Message: fmt.Sprintf("the draft of %d is of kind %s", year, bs[0].Kind)}
		}
		doc.Kind, doc.Revision = bs[0].Kind, bs[0].Revision
		w = b.Update("budgets", recs[0].ID, recs[0].Version, map[string]any{"lines": lines, "income": doc.Income, "spending": doc.Spending,
			"financing_receipts": doc.FinancingReceipts, "financing_expenditures": doc.FinancingExpenditures, "dana_desa": doc.DanaDesa, "saved_by": req.User})
	case kind != kindPerubahan:
		return 0, nil, sdk.Errorf(http.StatusConflict, codeBudgetLocked,
			"the %s of %d was approved (%s) and is locked; send kind \"perubahan\" to draft the APBDes Perubahan", kindLabel(bs[0].Kind), year, bs[0].PerdesNumber)
	case bs[0].Revision >= 1:
		return 0, nil, sdk.Errorf(http.StatusConflict, codeRevisionLimit, "%d already has an approved APBDes Perubahan: the budget changes once a year", year)
	default:
		doc.Kind, doc.Revision = kindPerubahan, bs[0].Revision+1
		w = b.Insert("budgets", doc)
	}
	b.Publish(eventSaved, map[string]any{"village": req.Tenant, "year": year, "revision": doc.Revision, "kind": doc.Kind, "lines": len(lines)})
	if err := b.Commit(ctx); err != nil {
		if errors.Is(err, sdk.ErrDuplicate) || errors.Is(err, sdk.ErrConflict) {
			return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the budget of %d was changed meanwhile: read it again", year)
		}
		return 0, nil, err
	}
	_ = w
	v, err := buildView(ctx, req, year, false)
	return http.StatusOK, v, err
}

func kindLabel(kind string) string {
	if kind == kindPerubahan {
		return "APBDes Perubahan"
	}
	return "APBDes"
}

// approveBudget approves and locks the year's draft: POST
// /budgets/{year}/approve.
func approveBudget(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	year, err := parseYear(r.PathValue("year"))
	if err != nil {
		return 0, nil, err
	}
	var in approveInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	in.PerdesNumber = strings.TrimSpace(in.PerdesNumber)
	if in.PerdesNumber == "" || input.Name(in.PerdesNumber, 80) != nil {
		return 0, nil, &sdk.Error{Status: http.StatusUnprocessableEntity, Code: codeInvalidPerdesNumber, Field: "perdes_number", Message: "perdes_number must be the Perdes number, one line of 1 to 80 characters"}
	}
	if _, err := time.Parse(time.DateOnly, in.PerdesDate); err != nil || in.PerdesDate > req.Today() {
		return 0, nil, &sdk.Error{Status: http.StatusUnprocessableEntity, Code: codeInvalidPerdesDate, Field: "perdes_date", Message: fmt.Sprintf("perdes_date %q must be the date of the Perdes, YYYY-MM-DD, not after today (%s)", in.PerdesDate, req.Today())}
	}
	recs, bs, err := versions(ctx, req, year)
	if err != nil {
		return 0, nil, err
	}
	if len(bs) == 0 {
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeBudgetNotFound, "%d has no budget to approve: save a draft first (PUT /budgets/%d)", year, year)
	}
	cur := bs[0]
	if cur.Status == statusOK {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeBudgetLocked, "the %s of %d is already approved (%s)", kindLabel(cur.Kind), year, cur.PerdesNumber)
	}
	if len(cur.Lines) == 0 {
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeNoLines, "the draft of %d has no line", year)
	}
	if err := checkBalance(Totals{cur.Income, cur.Spending, cur.FinancingReceipts, cur.FinancingExpenditures}); err != nil {
		return 0, nil, err
	}
	ledger, err := readLedger(ctx, req, year)
	if err != nil {
		return 0, nil, err
	}
	b := req.Batch()
	inNew := make(map[string]bool, len(cur.Lines))
	for _, l := range cur.Lines {
		k := lineKey(l.Section, l.Code, l.Account)
		inNew[k] = true
		if old, ok := ledger[k]; ok {
			if capped(l.Section, l.Code) && l.Amount < old.line.Realised {
				return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeRealisedLineRemoved,
					"line %s %s: its budget %d is below the %d already realised against it", l.Code, l.Account, l.Amount, old.line.Realised)
			}
			b.Update("ledger", old.id, old.version, map[string]any{"name": l.Name, "group": groupOf(l.Section, l.Code), "source": l.Source, "budget": l.Amount, "active": true})
			continue
		}
		b.Insert("ledger", ledgerLine{Year: year, Key: k, Section: l.Section, Code: l.Code, Account: l.Account, Name: l.Name,
			Group: groupOf(l.Section, l.Code), Source: l.Source, Budget: l.Amount, Active: true})
	}
	for k, old := range ledger {
		if inNew[k] || !old.line.Active {
			continue
		}
		if old.line.Realised > 0 {
			return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeRealisedLineRemoved,
				"line %s %s was dropped but %d has already been realised against it: keep it with at least that budget", old.line.Code, old.line.Account, old.line.Realised)
		}
		b.Update("ledger", old.id, old.version, map[string]any{"budget": 0, "active": false})
	}
	now := req.Now().UTC().Format(time.RFC3339)
	b.Update("budgets", recs[0].ID, recs[0].Version, map[string]any{"status": statusOK, "perdes_number": in.PerdesNumber,
		"perdes_date": in.PerdesDate, "approved_at": now, "approved_by": req.User})
	b.Publish(eventApproved, map[string]any{"village": req.Tenant, "year": year, "revision": cur.Revision, "kind": cur.Kind,
		"perdes_number": in.PerdesNumber, "perdes_date": in.PerdesDate, "income": cur.Income, "spending": cur.Spending,
		"financing_receipts": cur.FinancingReceipts, "financing_expenditures": cur.FinancingExpenditures, "dana_desa": cur.DanaDesa})
	b.Audit("finance.budget.approve", strconv.Itoa(year), map[string]any{"revision": cur.Revision, "kind": cur.Kind, "perdes_number": in.PerdesNumber})
	if err := b.Commit(ctx); err != nil {
		if errors.Is(err, sdk.ErrConflict) || errors.Is(err, sdk.ErrDuplicate) {
			return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the budget of %d changed meanwhile: try again", year)
		}
		return 0, nil, err
	}
	v, err := buildView(ctx, req, year, false)
	return http.StatusOK, v, err
}

// stored is a ledger line with its record's id and version.
type stored struct {
	id      string
	version int64
	line    ledgerLine
}

// readLedger reads the year's ledger by key.
func readLedger(ctx context.Context, req *sdk.Request, year int) (map[string]stored, error) {
	out := map[string]stored{}
	for off := 0; ; off += 500 {
		recs, _, err := req.Records("ledger").Query().Where("year", sdk.Eq, year).OrderBy(sdk.FieldID, false).Page(off, 500).Run(ctx)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			var l ledgerLine
			if err := rec.Decode(&l); err != nil {
				return nil, err
			}
			out[l.Key] = stored{rec.ID, rec.Version, l}
		}
		if len(recs) < 500 {
			return out, nil
		}
	}
}

// BudgetView is the answer of GET /budgets/{year} (and of PUT and
// approve): one version of the year's budget with its totals, the
// realisation against each line, the infographic's groups and the list of
// versions. Money is whole rupiah; percents have one decimal.
type BudgetView struct {
	Village      string      `json:"village"`
	Year         int         `json:"year"`
	Revision     int         `json:"revision"`
	Kind         string      `json:"kind"`
	Status       string      `json:"status"`
	PerdesNumber string      `json:"perdes_number,omitempty"`
	PerdesDate   string      `json:"perdes_date,omitempty"`
	ApprovedAt   string      `json:"approved_at,omitempty"`
	UpdatedAt    time.Time   `json:"updated_at"`
	Totals       TotalsView  `json:"totals"`
	Realised     Realised    `json:"realised"`
	DanaDesa     DanaDesa    `json:"dana_desa"`
	Income       []GroupView `json:"income_by_source"`
	Spending     []GroupView `json:"spending_by_bidang"`
	Lines        []LineView  `json:"lines"`
	Versions     []Version   `json:"versions"`
}

// TotalsView are a version's totals: surplus is income - spending (a
// deficit when negative), net_financing receipts - expenditures, silpa
// their sum (0 in an approved budget).
type TotalsView struct {
	Totals
	Surplus      int64 `json:"surplus"`
	NetFinancing int64 `json:"net_financing"`
	SiLPA        int64 `json:"silpa"`
}

// reportSums adds to totals what the regulation's budget and report show
// below them: the surplus (a deficit when negative), net financing and
// the SiLPA of the year.
func reportSums(t Totals) TotalsView {
	return TotalsView{Totals: t, Surplus: t.Income - t.Spending, NetFinancing: t.FinancingReceipts - t.FinancingExpenditures,
		SiLPA: t.Income - t.Spending + t.FinancingReceipts - t.FinancingExpenditures}
}

// Realised is what has been realised against the approved lines.
type Realised struct {
	Totals
	IncomePercent   float64 `json:"income_percent"`
	SpendingPercent float64 `json:"spending_percent"`
}

// DanaDesa follows the Dana Desa: its budget (4.2.1), what the village has
// received (realised 4.2.1), the spending funded by it (source DDS)
// budgeted and realised, and the absorption: realised DDS spending over
// the Dana Desa budget.
type DanaDesa struct {
	Budget            int64   `json:"budget"`
	Received          int64   `json:"received"`
	SpendingBudget    int64   `json:"spending_budget"`
	Spent             int64   `json:"spent"`
	AbsorptionPercent float64 `json:"absorption_percent"`
}

// GroupView is a group of the infographic: an income source or a bidang.
type GroupView struct {
	Group    string  `json:"group"`
	Name     string  `json:"name"`
	Budget   int64   `json:"budget"`
	Realised int64   `json:"realised"`
	Percent  float64 `json:"percent"`
}

// LineView is a line with its realisation.
type LineView struct {
	Line
	Realised int64   `json:"realised"`
	Percent  float64 `json:"percent"`
}

// Version describes one version of the year.
type Version struct {
	Revision     int    `json:"revision"`
	Kind         string `json:"kind"`
	Status       string `json:"status"`
	PerdesNumber string `json:"perdes_number,omitempty"`
	PerdesDate   string `json:"perdes_date,omitempty"`
	ApprovedAt   string `json:"approved_at,omitempty"`
}

func percent(part, whole int64) float64 {
	if whole <= 0 {
		return 0
	}
	return math.Round(float64(part)*1000/float64(whole)) / 10
}

// getBudget answers GET /budgets/{year}: the approved version for anyone;
// the latest version, draft or not, for callers holding permRead (unless
// ?status=approved).
func getBudget(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	if req.Level != sdk.Village {
		return 0, nil, errNotAVillage(req)
	}
	year, err := parseYear(r.PathValue("year"))
	if err != nil {
		return 0, nil, err
	}
	approvedOnly := !req.Can(permRead) || r.URL.Query().Get("status") == statusOK
	v, err := buildView(r.Context(), req, year, approvedOnly)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, v, nil
}

// buildView reads the year's versions and ledger and builds the view of
// the latest version (the latest approved one when approvedOnly).
func buildView(ctx context.Context, req *sdk.Request, year int, approvedOnly bool) (*BudgetView, error) {
	return buildViewAsOf(ctx, req, year, approvedOnly, "")
}

// buildViewAsOf is buildView of the version in force on the date asOf
// (YYYY-MM-DD) when it is set: the latest approved version whose Perdes
// is dated by then, or the APBDes when even its Perdes is later. The
// first semester's report is of the budget as it stood on 30 June, not of
// a Perubahan enacted after it.
func buildViewAsOf(ctx context.Context, req *sdk.Request, year int, approvedOnly bool, asOf string) (*BudgetView, error) {
	recs, bs, err := versions(ctx, req, year)
	if err != nil {
		return nil, err
	}
	pick := -1
	for i := range bs {
		if !approvedOnly || bs[i].Status == statusOK {
			if pick < 0 || asOf != "" && bs[pick].PerdesDate > asOf {
				pick = i
			}
			if asOf == "" || bs[i].PerdesDate <= asOf {
				break
			}
		}
	}
	if pick < 0 {
		if approvedOnly && len(bs) > 0 {
			return nil, sdk.Errorf(http.StatusNotFound, codeBudgetNotFound, "the budget of %d is not approved yet", year)
		}
		return nil, sdk.Errorf(http.StatusNotFound, codeBudgetNotFound, "no budget for %d", year)
	}
	ledger, err := readLedger(ctx, req, year)
	if err != nil {
		return nil, err
	}
	b := bs[pick]
	v := &BudgetView{Village: req.Tenant, Year: year, Revision: b.Revision, Kind: b.Kind, Status: b.Status,
		PerdesNumber: b.PerdesNumber, PerdesDate: b.PerdesDate, ApprovedAt: b.ApprovedAt, UpdatedAt: recs[pick].UpdatedAt,
		Lines: make([]LineView, 0, len(b.Lines)), Versions: []Version{}}
	t := Totals{b.Income, b.Spending, b.FinancingReceipts, b.FinancingExpenditures}
	v.Totals = reportSums(t)
	inc := map[string]*GroupView{}
	for _, g := range incomeGroups {
		inc[g.Code] = &GroupView{Group: g.Code, Name: g.Name}
	}
	spend := map[string]*GroupView{}
	for _, g := range bidangs {
		spend[g.Code] = &GroupView{Group: g.Code, Name: g.Name}
	}
	for _, l := range b.Lines {
		real := ledger[lineKey(l.Section, l.Code, l.Account)].line.Realised
		v.Lines = append(v.Lines, LineView{Line: l, Realised: real, Percent: percent(real, l.Amount)})
		g := groupOf(l.Section, l.Code)
		switch {
		case l.Section == sectionIncome:
			inc[g].Budget += l.Amount
			inc[g].Realised += real
			v.Realised.Income += real
			if g == "4.2.1" {
				v.DanaDesa.Budget += l.Amount
				v.DanaDesa.Received += real
			}
		case l.Section == sectionSpending:
			spend[g].Budget += l.Amount
			spend[g].Realised += real
			v.Realised.Spending += real
			if l.Source == sourceDanaDesa {
				v.DanaDesa.SpendingBudget += l.Amount
				v.DanaDesa.Spent += real
			}
		case g == "6.1":
			v.Realised.FinancingReceipts += real
		default:
			v.Realised.FinancingExpenditures += real
		}
	}
	slices.SortStableFunc(v.Lines, func(a, b LineView) int {
		if c := strings.Compare(sectionOrder(a.Section), sectionOrder(b.Section)); c != 0 {
			return c
		}
		return strings.Compare(codeSortKey(a.Code)+a.Account, codeSortKey(b.Code)+b.Account)
	})
	v.Realised.IncomePercent = percent(v.Realised.Income, t.Income)
	v.Realised.SpendingPercent = percent(v.Realised.Spending, t.Spending)
	v.DanaDesa.AbsorptionPercent = percent(v.DanaDesa.Spent, v.DanaDesa.Budget)
	for _, g := range incomeGroups {
		x := inc[g.Code]
		x.Percent = percent(x.Realised, x.Budget)
		v.Income = append(v.Income, *x)
	}
	for _, g := range bidangs {
		x := spend[g.Code]
		x.Percent = percent(x.Realised, x.Budget)
		v.Spending = append(v.Spending, *x)
	}
	for i := len(bs) - 1; i >= 0; i-- {
		if approvedOnly && bs[i].Status != statusOK {
			continue
		}
		v.Versions = append(v.Versions, Version{bs[i].Revision, bs[i].Kind, bs[i].Status, bs[i].PerdesNumber, bs[i].PerdesDate, bs[i].ApprovedAt})
	}
	return v, nil
}

func sectionOrder(s string) string {
	switch s {
	case sectionIncome:
		return "1"
	case sectionSpending:
		return "2"
	}
	return "3"
}

// codeSortKey orders codes by their numbers ("1.10.01" after "1.9.01").
func codeSortKey(code string) string {
	var b strings.Builder
	for _, p := range strings.Split(code, ".") {
		fmt.Fprintf(&b, "%04s.", p)
	}
	return b.String()
}
