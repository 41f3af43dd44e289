package main

import "github.com/balaidesa/balai/sdk"

// The error codes this plugin answers besides the SDK's shared ones
// (sdk.CodeUnknownField, sdk.CodeMalformedJSON, sdk.CodeInvalidText,
// sdk.CodeInvalidPaging, sdk.CodeNotFound). Clients, the README and the
// e2e tests act on them: they never change. All are 422 unless said.
const (
	codeInvalidTitle       sdk.Code = "invalid_title"
	codeInvalidDescription sdk.Code = "invalid_description"
	codeInvalidCategory    sdk.Code = "invalid_category"
	codeInvalidPlace       sdk.Code = "invalid_place"
	codeInvalidVisibility  sdk.Code = "invalid_visibility"
	codeInvalidStart       sdk.Code = "invalid_start"
	codeInvalidEnd         sdk.Code = "invalid_end"
	// codeEndBeforeStart: the end is not after the start (an all-day
	// event's end date is before its start date).
	codeEndBeforeStart sdk.Code = "end_before_start"
	// codeEventTooLong: one occurrence lasts more than 31 days.
	codeEventTooLong         sdk.Code = "event_too_long"
	codeInvalidOfficials     sdk.Code = "invalid_officials"
	codeInvalidRRule         sdk.Code = "invalid_rrule"
	codeStartNotInRRule      sdk.Code = "start_not_in_rrule"
	codeInvalidVersion       sdk.Code = "invalid_version"
	codeInvalidReason        sdk.Code = "invalid_reason"
	codeInvalidFrom          sdk.Code = "invalid_from"
	codeInvalidTo            sdk.Code = "invalid_to"
	codeInvalidMonth         sdk.Code = "invalid_month"
	codeInvalidStatus        sdk.Code = "invalid_status"
	codeWindowTooLong        sdk.Code = "window_too_long"
	codeWindowBackwards      sdk.Code = "window_backwards"
	codeVersionConflict      sdk.Code = "version_conflict"  // 409
	codeEventCancelled       sdk.Code = "event_cancelled"   // 409: editing a cancelled event
	codeAlreadyCancelled     sdk.Code = "already_cancelled" // 409
	codeOfficialDoubleBooked sdk.Code = "official_double_booked"
	// codeInvalidDate: the date of an occurrence to cancel is not a date.
	codeInvalidDate sdk.Code = "invalid_date"
	// codeInvalidVillage: ?village= is not a village below the tenant.
	codeInvalidVillage sdk.Code = "invalid_village"
	// codeNotRecurring: a date given to cancel one occurrence of an event
	// that does not repeat.
	codeNotRecurring sdk.Code = "not_recurring"
	// codeNotAnOccurrence: no occurrence of the series starts that day.
	codeNotAnOccurrence sdk.Code = "not_an_occurrence"
	// codeOccurrenceCancelled: that occurrence is already cancelled (409).
	codeOccurrenceCancelled sdk.Code = "occurrence_already_cancelled"
)

// fieldCodes gives the code of a type error (a number where a string was
// expected...) by the field's name.
var fieldCodes = map[string]sdk.Code{
	"title": codeInvalidTitle, "description": codeInvalidDescription, "category": codeInvalidCategory,
	"place": codeInvalidPlace, "visibility": codeInvalidVisibility, "all_day": codeInvalidStart,
	"start": codeInvalidStart, "end": codeInvalidEnd, "officials": codeInvalidOfficials,
	"rrule": codeInvalidRRule, "version": codeInvalidVersion, "reason": codeInvalidReason,
	"date": codeInvalidDate,
}

// invalid is a 422 naming the field at fault.
func invalid(code sdk.Code, field, format string, args ...any) *sdk.Error {
	e := sdk.Errorf(422, code, format, args...)
	e.Field = field
	return e
}
