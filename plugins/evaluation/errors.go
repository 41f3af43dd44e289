package main

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/balaidesa/balai/sdk"
)

// The error codes this plugin answers besides the SDK's shared ones
// (sdk.CodeConflict, sdk.CodeMalformedJSON, sdk.CodeUnknownField,
// sdk.CodeInvalidField, sdk.CodeInvalidPaging). Clients and the e2e tests
// act on them: they never change.
const (
	// codeInvalidYear: a year read outside 2000..2100 (400 in the path or
	// query); a year written (an indicator's, a worksheet's) before 2015
	// or after next year in the tenant's calendar (422; in a body a number
	// no int holds, 1e30 or 2026.5, answers it too: the field's range tag).
	codeInvalidYear sdk.Code = "invalid_year"
	// codeInvalidQuarter: a quarter outside 1..4 (400 in the query, 422
	// in a body, 1.5 or 1e30 there too; the table's ?quarter also takes
	// 0, the whole year).
	codeInvalidQuarter sdk.Code = "invalid_quarter"
	// codeNotAUnit: indicators, achievements and responses are written at
	// a village or district, the units evaluated (422).
	codeNotAUnit sdk.Code = "not_a_unit"
	// codeInvalidName: an indicator's name is missing, too long or unprintable (422).
	codeInvalidName sdk.Code = "invalid_name"
	// codeInvalidMeasure: the unit of measure (satuan) is missing or too long (422).
	codeInvalidMeasure sdk.Code = "invalid_measure"
	// codeInvalidTarget: the target is not a number above 0 with at most
	// 2 decimals, or is above 10^12 or no float64 at all (1e400) (422).
	codeInvalidTarget sdk.Code = "invalid_target"
	// codeInvalidSource: the source is not one of the four measures (422).
	codeInvalidSource sdk.Code = "invalid_source"
	// codeInvalidDescription: a description is too long or unprintable (422).
	codeInvalidDescription sdk.Code = "invalid_description"
	// codeDuplicateIndicator: the unit already has an indicator of that name that year (409).
	codeDuplicateIndicator sdk.Code = "duplicate_indicator"
	// codeIndicatorNotFound: no such indicator in this unit (404).
	codeIndicatorNotFound sdk.Code = "indicator_not_found"
	// codeYearEvaluated: the unit's evaluation of that year is published
	// (final), so its indicators and achievements of the year are locked:
	// no new indicator, no change, no new or re-reported quarter (409).
	codeYearEvaluated sdk.Code = "year_evaluated"
	// codeEmptyPatch: a PATCH body that changes nothing ({}) (422).
	codeEmptyPatch sdk.Code = "empty_patch"
	// codeInvalidRealisation: a realisation missing, negative, above
	// 10^12, not a number in a form, or no float64 at all (1e400) (422).
	codeInvalidRealisation sdk.Code = "invalid_realisation"
	// codeSourcedIndicator: a realisation typed by hand for an indicator
	// whose value comes from another module (422).
	codeSourcedIndicator sdk.Code = "sourced_indicator"
	// codeQuarterNotStarted: an achievement for a quarter that has not
	// begun in the unit's calendar (422).
	codeQuarterNotStarted sdk.Code = "quarter_not_started"
	// codeInvalidNote: a note too long or unprintable (422).
	codeInvalidNote sdk.Code = "invalid_note"
	// codeSourceNotAvailable: the source module is not enabled here, the
	// caller may not read it, or it does not answer (422; the message says which).
	codeSourceNotAvailable sdk.Code = "source_not_available"
	// codeNothingToMeasure: the source has nothing to measure in the
	// period yet (its denominator is 0) (422).
	codeNothingToMeasure sdk.Code = "nothing_to_measure"
	// codeEvidenceRejected: the evidence is not a PDF, JPEG, PNG or WebP file (415).
	codeEvidenceRejected = sdk.CodeEvidenceTypeNotAccepted
	// codeEvidenceTooLarge: the evidence is over 5 MiB (413).
	codeEvidenceTooLarge = sdk.CodeEvidenceTooLarge
	// codeMalformedForm: a form or multipart body cannot be read (400).
	codeMalformedForm sdk.Code = "malformed_form"
	// codeAchievementNotFound: no such achievement, or it has no evidence (404).
	codeAchievementNotFound sdk.Code = "achievement_not_found"
	// codeEvaluateAtRegency: worksheets are written at the regency's
	// address; the message names it (422).
	codeEvaluateAtRegency sdk.Code = "evaluate_at_regency"
	// codeNotAnEvaluator: the caller is not one of the regency's
	// evaluators (a village's own admin, say) (403).
	codeNotAnEvaluator sdk.Code = "not_an_evaluator"
	// codeUnitNotFound: the unit is not a village or district below the
	// regency with the module enabled (404).
	codeUnitNotFound sdk.Code = "unit_not_found"
	// codeInvalidScore: a score outside 0..100, with more than 2
	// decimals, or no float64 at all (1e400) (422).
	codeInvalidScore sdk.Code = "invalid_score"
	// codeInvalidWorksheetText: an evidence, note or summary too long or unprintable (422).
	codeInvalidWorksheetText sdk.Code = "invalid_worksheet_text"
	// codeInvalidRecommendation: a recommendation empty, too long, or more than 20 (422).
	codeInvalidRecommendation sdk.Code = "invalid_recommendation"
	// codeEvaluationNotFound: no evaluation of the unit that year (404).
	codeEvaluationNotFound sdk.Code = "evaluation_not_found"
	// codeEvaluationFinal: the evaluation is published and is not
	// overwritten (409).
	codeEvaluationFinal sdk.Code = "evaluation_final"
	// codeWorksheetIncomplete: publishing needs all twelve scores (422).
	codeWorksheetIncomplete sdk.Code = "worksheet_incomplete"
	// codeRecommendationNotFound: no such recommendation in this unit (404).
	codeRecommendationNotFound sdk.Code = "recommendation_not_found"
	// codeInvalidResponse: a response missing, too long or unprintable (422).
	codeInvalidResponse sdk.Code = "invalid_response"
	// codeInvalidStatus: a response's status is not planned or done (422).
	codeInvalidStatus sdk.Code = "invalid_status"
	// codeUnitStaffOnly: recommendations are answered by the unit's own
	// staff, granted at the unit, not from above it (403).
	codeUnitStaffOnly sdk.Code = "unit_staff_only"
	// codeNotARegion: the table is read at a regency or district (422).
	codeNotARegion sdk.Code = "not_a_region"
	// codeInvalidFilter: a list filter is malformed (400).
	codeInvalidFilter sdk.Code = "invalid_filter"
)

func fieldErr(code sdk.Code, field, format string, args ...any) error {
	return &sdk.Error{Status: http.StatusUnprocessableEntity, Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

func badFilter(format string, args ...any) error {
	return sdk.Errorf(http.StatusBadRequest, codeInvalidFilter, format, args...)
}

// errCode is the code of an *sdk.Error, or "".
func errCode(err error) sdk.Code {
	var e *sdk.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
