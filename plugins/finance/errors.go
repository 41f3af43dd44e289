package main

import "github.com/balaidesa/balai/sdk"

// The error codes this plugin answers besides the SDK's shared ones and
// Bind's body codes. Clients, the README and the e2e tests act on them:
// they never change.
const (
	// codeNotAVillage: budgets are written at a village only (422).
	codeNotAVillage sdk.Code = "not_a_village"
	// codeInvalidYear: the {year} of the path, or ?year=, is not a year
	// from 2000 to 2100 (400).
	codeInvalidYear sdk.Code = "invalid_year"
	// codeBudgetNotFound: no budget for the year, or (for the public) no
	// approved one (404).
	codeBudgetNotFound sdk.Code = "budget_not_found"
	// codeBudgetLocked: the year's latest version is approved and locked;
	// a change goes through a draft of kind "perubahan" (409).
	codeBudgetLocked sdk.Code = "budget_locked"
	// codeRevisionLimit: the year already has an APBDes Perubahan; the
	// budget changes once a year (409).
	codeRevisionLimit sdk.Code = "revision_limit"
	// codeInvalidKind: kind is not apbdes or perubahan, or perubahan
	// before the APBDes is approved (422).
	codeInvalidKind sdk.Code = "invalid_kind"
	// codeNoLines: a budget without a line (422).
	codeNoLines sdk.Code = "no_lines"
	// codeTooManyLines: more than maxLines lines (422).
	codeTooManyLines sdk.Code = "too_many_lines"
	// codeInvalidSection: a line's section is not income, spending or
	// financing (422).
	codeInvalidSection sdk.Code = "invalid_section"
	// codeInvalidCode: a line's code is not an account of its section in
	// Permendagri 20/2018 (422).
	codeInvalidCode sdk.Code = "invalid_code"
	// codeInvalidAccount: a spending line's account is not a belanja
	// account 5.1 to 5.4, or an account on another section (422).
	codeInvalidAccount sdk.Code = "invalid_account"
	// codeInvalidSource: a spending line's source of funds is missing or
	// not one of sources, or a source on another section (422).
	codeInvalidSource sdk.Code = "invalid_source"
	// codeInvalidLineName: a line's name is missing or not one line of at
	// most 200 characters (422).
	codeInvalidLineName sdk.Code = "invalid_line_name"
	// codeInvalidAmount: an amount is not whole rupiah from 0 (a line) or
	// 1 (an entry) to maxAmount (422).
	codeInvalidAmount sdk.Code = "invalid_amount"
	// codeDuplicateLine: two lines with the same section, code and account
	// (422).
	codeDuplicateLine sdk.Code = "duplicate_line"
	// codeTotalsMismatch: the totals sent with the lines are not their sums
	// (422); the message names the total and both figures.
	codeTotalsMismatch sdk.Code = "totals_mismatch"
	// codeDeficitNotCovered: at approval, spending and financing
	// expenditures exceed income and financing receipts (422); the message
	// names the gap in rupiah.
	codeDeficitNotCovered sdk.Code = "deficit_not_covered"
	// codeSurplusNotAllocated: at approval, income and financing receipts
	// exceed spending and financing expenditures (422); the message names
	// the gap in rupiah.
	codeSurplusNotAllocated sdk.Code = "surplus_not_allocated"
	// codeRealisedLineRemoved: an APBDes Perubahan drops or lowers a line
	// below what has already been realised against it (422).
	codeRealisedLineRemoved sdk.Code = "realised_line_below_realisation"
	// codeInvalidPerdesNumber: the Perdes number is missing or not one
	// line of at most 80 characters (422).
	codeInvalidPerdesNumber sdk.Code = "invalid_perdes_number"
	// codeInvalidPerdesDate: the Perdes date is missing, malformed or
	// after today (422).
	codeInvalidPerdesDate sdk.Code = "invalid_perdes_date"
	// codeBudgetNotApproved: realisation needs an approved budget (409).
	codeBudgetNotApproved sdk.Code = "budget_not_approved"
	// codeUnknownLine: the entry's section, code and account name no line
	// of the approved budget (422).
	codeUnknownLine sdk.Code = "unknown_line"
	// codeExceedsBudget: a spending or financing expenditure entry would
	// take the line past its budget (422).
	codeExceedsBudget sdk.Code = "exceeds_budget"
	// codeInvalidDate: an entry's date is missing or malformed (422).
	codeInvalidDate sdk.Code = "invalid_date"
	// codeDateOutsideYear: an entry's date is not in the budget's year (422).
	codeDateOutsideYear sdk.Code = "date_outside_year"
	// codeDateInFuture: an entry's date is after the village's today (422).
	codeDateInFuture sdk.Code = "date_in_future"
	// codeInvalidDescription: an entry's description is missing or over
	// 500 characters (422).
	codeInvalidDescription sdk.Code = "invalid_description"
	// codeEvidenceRejected: the evidence file is not a PDF, JPEG, PNG or
	// WebP (415).
	codeEvidenceRejected = sdk.CodeEvidenceTypeNotAccepted
	// codeEvidenceTooLarge: the evidence file is over 5 MiB (413).
	codeEvidenceTooLarge = sdk.CodeEvidenceTooLarge
	// codeMalformedForm: a multipart body cannot be read, or lacks its
	// file part (400).
	codeMalformedForm sdk.Code = "malformed_form"
	// codeRealisationNotFound: no such entry, or it has no evidence (404).
	codeRealisationNotFound sdk.Code = "realisation_not_found"
	// codeAlreadyReversed: the entry is already reversed, is itself a
	// reversal, or changed meanwhile (409).
	codeAlreadyReversed sdk.Code = "already_reversed"
	// codeInvalidPeriod: ?period= is not s1 or year (400).
	codeInvalidPeriod sdk.Code = "invalid_period"
	// codeInvalidFormat: ?format= is not json or csv (400).
	codeInvalidFormat sdk.Code = "invalid_format"
	// codeInvalidFile: an import file is neither CSV nor XLSX, has no
	// header row with the columns the layout needs, is of another year
	// (Tahun), holds several villages (Kd_Desa) without ?kd_desa=, several
	// postings (KdPosting), or spending rows without a SumberDana column
	// (422).
	codeInvalidFile sdk.Code = "invalid_import_file"
	// codeImportRows: some rows of an import are wrong; the answer lists
	// them and nothing is saved (422).
	codeImportRows sdk.Code = "import_rows_invalid"
	// codeLineIncomplete: a row's reason in an import's "rejected" list,
	// never an answer: another item row of the same budget line was
	// rejected, so the whole line is left out rather than imported with
	// part of its amount.
	codeLineIncomplete sdk.Code = "line_incomplete"
)
