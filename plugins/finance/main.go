// Command finance is the village budget module (keterbukaan anggaran): the
// APBDes of each village and year in the structure of Permendagri 20/2018
// (income, spending by bidang, financing), its change (APBDes Perubahan),
// each version approved with its Perdes number and then locked; the
// realisation entered per budget line with its evidence; the semester and
// year-end realisation reports; the import of budget lines from Siskeudes
// exports; the public budget infographic per village; and the regency's
// roll-up of budgets, realisation and Dana Desa absorption per village.
package main

import (
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
)

const (
	pluginID = "finance"
	// permRead reads drafts, realisation entries with their evidence and
	// the realisation reports (approved budgets are public).
	permRead = "finance.budgets.read"
	// permWrite edits a draft budget and imports its lines.
	permWrite = "finance.budgets.write"
	// permRealise records realisation entries against approved lines.
	permRealise = "finance.realisations.write"
	// permApprove approves a budget version with its Perdes number: the
	// village head's decision with the BPD, so admins only.
	permApprove = "finance.budgets.approve"
)

// Events other modules (bumdes, evaluation) follow. Payloads carry no
// personal data.
const (
	// eventSaved: a draft budget was saved or imported
	// {"village","year","revision","kind","lines"}.
	eventSaved = "finance.budget_saved"
	// eventApproved: a budget version was approved and locked
	// {"village","year","revision","kind","perdes_number","perdes_date",
	// "income","spending","financing_receipts","financing_expenditures",
	// "dana_desa"} (rupiah).
	eventApproved = "finance.budget_approved"
	// eventRealised: a realisation entry was recorded
	// {"village","year","id","section","code","account","source","date",
	// "amount","line_realised","line_budget"} (rupiah).
	eventRealised = "finance.realisation_recorded"
	// eventReversed: an entry was cancelled by a reversing entry
	// {"village","year","id","section","code","account","source","amount","line_budget"}.
	eventReversed = "finance.realisation_reversed"
)

// maxEvidenceBytes bounds an evidence file (a scanned receipt or a
// photo); multipartSlack the form around it.
const (
	maxEvidenceBytes = sdk.MaxEvidenceBytes
	multipartSlack   = 64 << 10
	maxImportBytes   = 4 << 20
)

var plugin = sdk.Plugin{
	ID: pluginID, Version: "0.1.0", Vendor: "Balai",
	Description: "Village budget (APBDes, Permendagri 20/2018): drafts, approval with the Perdes, realisation with evidence, reports, Siskeudes import, public infographic, regency roll-up",
	Permissions: []sdk.Permission{
		{Name: permRead, Description: "read draft budgets, realisation entries and their evidence, realisation reports", Roles: []string{"viewer", "operator"}},
		{Name: permWrite, Description: "edit and import draft budget lines", Roles: []string{"operator"}},
		{Name: permRealise, Description: "record realisation entries with their evidence", Roles: []string{"operator"}},
		{Name: permApprove, Description: "approve a budget version with its Perdes number (locks it)"},
	},
	Routes: []sdk.Route{
		{Method: "PUT", Path: "/budgets/{year}", Permission: permWrite, MaxBodyBytes: 2 << 20, Handler: sdk.Func(villageOnly(putBudget))},
		{Method: "GET", Path: "/budgets/{year}", Public: true, Handler: sdk.Func(getBudget)},
		{Method: "POST", Path: "/budgets/{year}/approve", Permission: permApprove, Handler: sdk.Func(villageOnly(approveBudget))},
		{Method: "POST", Path: "/budgets/{year}/import", Permission: permWrite, MaxBodyBytes: maxImportBytes + multipartSlack, Timeout: time.Minute, Handler: sdk.Func(villageOnly(importBudget))},
		{Method: "POST", Path: "/budgets/{year}/realisations", Permission: permRealise, MaxBodyBytes: maxEvidenceBytes + multipartSlack, Timeout: time.Minute, Handler: sdk.Func(villageOnly(postRealisation))},
		{Method: "GET", Path: "/budgets/{year}/realisations", Permission: permRead, Handler: sdk.Func(listRealisations)},
		{Method: "POST", Path: "/budgets/{year}/realisations/{id}/reverse", Permission: permRealise, Handler: sdk.Func(villageOnly(reverseRealisation))},
		{Method: "GET", Path: "/budgets/{year}/realisations/{id}/evidence", Permission: permRead, Handler: http.HandlerFunc(serveEvidence)},
		{Method: "GET", Path: "/budgets/{year}/report", Permission: permRead, Handler: http.HandlerFunc(serveReport)},
		{Method: "GET", Path: "/summary", Public: true, Handler: sdk.Func(getSummary)},
		{Method: "GET", Path: "/performance", Permission: permRead, Handler: sdk.Func(getPerformance)},
	},
	Pages:     pages(),
	Publishes: []string{eventSaved, eventApproved, eventRealised, eventReversed},
	Collections: []sdk.Collection{{
		// budgets holds one record per version of a village's budget for a
		// year: revision 0 is the APBDes, 1 the APBDes Perubahan.
		Name: "budgets",
		Fields: []sdk.Field{
			{Name: "year", Type: sdk.Int, Required: true},
			{Name: "revision", Type: sdk.Int, Required: true},
			{Name: "kind", Type: sdk.String, Required: true},
			{Name: "status", Type: sdk.String, Required: true},
			{Name: "lines", Type: sdk.Object, Required: true},
			{Name: "income", Type: sdk.Int, Required: true},
			{Name: "spending", Type: sdk.Int, Required: true},
			{Name: "financing_receipts", Type: sdk.Int, Required: true},
			{Name: "financing_expenditures", Type: sdk.Int, Required: true},
			{Name: "dana_desa", Type: sdk.Int, Required: true},
			{Name: "perdes_number", Type: sdk.String},
			{Name: "perdes_date", Type: sdk.Date},
			{Name: "approved_at", Type: sdk.Time},
			{Name: "approved_by", Type: sdk.String},
			{Name: "saved_by", Type: sdk.String},
		},
		Indexes: []sdk.Index{{Fields: []string{"year", "revision"}, Unique: true}, {Fields: []string{"year", "status"}}},
	}, {
		// ledger holds one record per line of the year's approved budget:
		// its ceiling and what has been realised against it, kept by
		// increments so that two clerks cannot overspend a line together.
		Name: "ledger",
		Fields: []sdk.Field{
			{Name: "year", Type: sdk.Int, Required: true},
			{Name: "key", Type: sdk.String, Required: true},
			{Name: "section", Type: sdk.String, Required: true},
			{Name: "code", Type: sdk.String, Required: true},
			{Name: "account", Type: sdk.String},
			{Name: "name", Type: sdk.String, Required: true},
			{Name: "group", Type: sdk.String, Required: true},
			{Name: "source", Type: sdk.String},
			{Name: "budget", Type: sdk.Int, Required: true},
			{Name: "realised", Type: sdk.Int, Required: true},
			{Name: "active", Type: sdk.Bool, Required: true},
		},
		Indexes: []sdk.Index{{Fields: []string{"year", "key"}, Unique: true}, {Fields: []string{"year", "section", "group"}}},
	}, {
		// realisations holds the entries: a payment made or an income
		// received against one line, with its evidence file.
		Name: "realisations",
		Fields: []sdk.Field{
			{Name: "year", Type: sdk.Int, Required: true},
			{Name: "key", Type: sdk.String, Required: true},
			{Name: "section", Type: sdk.String, Required: true},
			{Name: "code", Type: sdk.String, Required: true},
			{Name: "account", Type: sdk.String},
			{Name: "name", Type: sdk.String, Required: true},
			{Name: "date", Type: sdk.Date, Required: true},
			{Name: "amount", Type: sdk.Int, Required: true},
			{Name: "description", Type: sdk.String, Required: true},
			{Name: "evidence", Type: sdk.Object},
			{Name: "recorded_by", Type: sdk.String},
			// reversed_by is the user who cancelled this entry; reverses the
			// id of the entry a cancelling entry (negative amount) cancels.
			{Name: "reversed_by", Type: sdk.String},
			{Name: "reverses", Type: sdk.String},
		},
		Indexes: []sdk.Index{{Fields: []string{"year", "date"}}, {Fields: []string{"year", "key"}}},
	}},
}

func main() { sdk.Serve(&plugin) }
