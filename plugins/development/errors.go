package main

import (
	"net/http"

	"github.com/balaidesa/balai/sdk"
)

// The error codes this plugin answers besides the SDK's shared ones
// (sdk.CodeNotFound, sdk.CodeConflict, Bind's body codes). Clients, the
// README and the e2e tests act on them: they never change.
const (
	// codeNotAVillage: projects are registered, reported and cancelled
	// at a village only (422).
	codeNotAVillage sdk.Code = "not_a_village"
	// codeProjectNotFound: no such project here (404).
	codeProjectNotFound sdk.Code = "project_not_found"
	// codeInvalidName: a project's name is missing or not one line of at
	// most 160 characters (422).
	codeInvalidName sdk.Code = "invalid_name"
	// codeInvalidKind: a kind, or ?kind=, is not one of GET /kinds (422
	// in a body, 400 in a query).
	codeInvalidKind sdk.Code = "invalid_kind"
	// codeInvalidDescription: a description over 2000 characters or with
	// characters free text may not hold (422).
	codeInvalidDescription sdk.Code = "invalid_description"
	// codeInvalidLocation: dusun over 60 characters, or RT/RW not 1 to 3
	// digits (422).
	codeInvalidLocation sdk.Code = "invalid_location"
	// codeInvalidCoordinates: lat without lng (or the reverse), or a
	// point outside Indonesia (lat -11..6, lng 95..141.5) (422).
	codeInvalidCoordinates sdk.Code = "invalid_coordinates"
	// codeInvalidYear: a year outside 2000 to next year, or ?year= not a
	// year (422 in a body, 400 in a query).
	codeInvalidYear sdk.Code = "invalid_year"
	// codeInvalidFunding: no funding source, an unknown or repeated
	// source, or an amount outside 1 to maxAmount rupiah (422).
	codeInvalidFunding sdk.Code = "invalid_funding"
	// codeInvalidExecutor: the executor (TPK) or its chair's name is not
	// one line of at most 120 characters (422).
	codeInvalidExecutor sdk.Code = "invalid_executor"
	// codeInvalidDate: a date that is missing or not YYYY-MM-DD (422).
	codeInvalidDate sdk.Code = "invalid_date"
	// codeEndBeforeStart: planned_end before planned_start (422).
	codeEndBeforeStart sdk.Code = "planned_end_before_start"
	// codeInvalidVolume: a volume not above 0, a unit without a volume
	// or the reverse, or a unit over 20 characters (422).
	codeInvalidVolume sdk.Code = "invalid_volume"
	// codeInvalidBeneficiaries: beneficiaries below 0 or above 10 000 000
	// (422).
	codeInvalidBeneficiaries sdk.Code = "invalid_beneficiaries"

	// codeProjectClosed: a progress report or cancellation on a project
	// already completed or cancelled (409).
	codeProjectClosed sdk.Code = "project_closed"
	// codeDateInFuture: a progress report dated after the village's
	// today (422).
	codeDateInFuture sdk.Code = "date_in_future"
	// codeDateBeforeLast: a progress report dated before the project's
	// latest report (422).
	codeDateBeforeLast sdk.Code = "date_before_last_report"
	// codeInvalidPercent: a physical percent outside 0 to 100 (422).
	codeInvalidPercent sdk.Code = "invalid_percent"
	// codeProgressDecreased: a physical percent below the latest report's
	// (422): progress is cumulative.
	codeProgressDecreased sdk.Code = "progress_decreased"
	// codeInvalidSpent: money spent below 0 or above maxAmount (422).
	codeInvalidSpent sdk.Code = "invalid_spent"
	// codeSpentDecreased: money spent below the latest report's (422):
	// it is cumulative.
	codeSpentDecreased sdk.Code = "spent_decreased"
	// codeSpentExceedsBudget: money spent above the project's budget
	// without an over_budget_reason (422).
	codeSpentExceedsBudget sdk.Code = "spent_exceeds_budget"
	// codeInvalidNotes: notes or a reason over their limit (422).
	codeInvalidNotes sdk.Code = "invalid_notes"
	// codeFinalPhotoRequired: a report of 100% without a photo (422): a
	// project is completed with a photo of the finished work.
	codeFinalPhotoRequired sdk.Code = "final_photo_required"
	// codeTooManyPhotos: more than maxReportPhotos photos on one report,
	// or the project at maxProjectPhotos (422).
	codeTooManyPhotos sdk.Code = "too_many_photos"
	// codeNotAnImage: a photo is not a JPEG, PNG or WebP image (415).
	codeNotAnImage sdk.Code = "not_an_image"
	// codePhotoTooLarge: a photo is over maxPhotoBytes (413).
	codePhotoTooLarge sdk.Code = "photo_too_large"
	// codeMalformedForm: a multipart report cannot be read, or has a
	// field it does not know (400).
	codeMalformedForm sdk.Code = "malformed_form"
	// codePhotoNotFound: the project has no such photo (404).
	codePhotoNotFound sdk.Code = "photo_not_found"
	// codeInvalidReason: a cancellation without a reason, or one over 500
	// characters (422).
	codeInvalidReason sdk.Code = "invalid_reason"
	// codeInvalidFilter: ?state=, ?behind= or ?village= is not one this
	// list takes (400).
	codeInvalidFilter sdk.Code = "invalid_filter"
)

func invalid(code sdk.Code, field, format string, args ...any) error {
	e := sdk.Errorf(http.StatusUnprocessableEntity, code, format, args...)
	e.Field = field
	return e
}

// villageOnly wraps a handler that writes projects so that it runs only
// at a village: a project belongs to the village that carries it out,
// and a district's or regency's staff read it, never write it.
func villageOnly(fn func(*http.Request) (int, any, error)) func(*http.Request) (int, any, error) {
	return func(r *http.Request) (int, any, error) {
		if req := sdk.From(r); req.Level != sdk.Village {
			return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeNotAVillage,
				"projects belong to a village: use /api/v1/t/{village code}/development/... (%s is a %s)", req.Tenant, req.Level)
		}
		return fn(r)
	}
}
