package main

import "github.com/balaidesa/balai/sdk"

// The error codes this module answers besides the SDK's shared ones
// (malformed_json, unknown_field, invalid_field, invalid_pagination,
// forbidden, conflict). Clients and the tests act on them: they never
// change.
const (
	// codeNotAVillage: reports and their response are written at a village (422).
	codeNotAVillage sdk.Code = "not_a_village"
	// codeNotARegency: the webhook is set at the regency (422).
	codeNotARegency sdk.Code = "not_a_regency"
	// codeInvalidType: not one of BNPB's disaster types (422).
	codeInvalidType sdk.Code = "invalid_type"
	// codeInvalidOccurredAt: occurred_at is missing, not RFC 3339, in the
	// future or more than a year ago (422).
	codeInvalidOccurredAt sdk.Code = "invalid_occurred_at"
	// codeInvalidDescription: missing, over 2000 characters or unprintable (422).
	codeInvalidDescription sdk.Code = "invalid_description"
	// codeInvalidPlace: dusun or location over 100/200 characters or unprintable (422).
	codeInvalidPlace sdk.Code = "invalid_place"
	// codeInvalidCoordinates: latitude/longitude outside Indonesia, or one without the other (422).
	codeInvalidCoordinates sdk.Code = "invalid_coordinates"
	// codeInvalidReporter: a citizen's report without a name, or a name over 100 characters (422).
	codeInvalidReporter sdk.Code = "invalid_reporter"
	// codeInvalidPhone: a citizen's report without a phone, or not an Indonesian number (422).
	codeInvalidPhone sdk.Code = "invalid_phone"
	// codeReportNotFound: no report with this id or tracking code (404);
	// the public gets it for an unverified report too.
	codeReportNotFound sdk.Code = "report_not_found"
	// codeInvalidState: the report's status does not allow the action (409).
	codeInvalidState sdk.Code = "invalid_state"
	// codeInvalidStatus: not a status the response can move to (422).
	codeInvalidStatus sdk.Code = "invalid_status"
	// codeInvalidTransition: the response moves forward only (409).
	codeInvalidTransition sdk.Code = "invalid_transition"
	// codeInvalidReason: a rejection without a reason, or an unprintable one (422).
	codeInvalidReason sdk.Code = "invalid_reason"
	// codeInvalidNote: a note or log text over its length or unprintable (422).
	codeInvalidNote sdk.Code = "invalid_note"
	// codeInvalidImpact: a count below 0 or above 10,000,000 (422), field named.
	codeInvalidImpact sdk.Code = "invalid_impact"
	// codeInvalidKK: a KK that is not 16 digits (422).
	codeInvalidKK sdk.Code = "invalid_kk"
	// codeInvalidNIK: a NIK that is not 16 digits (422).
	codeInvalidNIK sdk.Code = "invalid_nik"
	// codeFamilyNotFound: no living family with this KK in the village's register (422).
	codeFamilyNotFound sdk.Code = "family_not_found"
	// codeResidentNotFound: no living resident with this NIK in the village's register (422).
	codeResidentNotFound sdk.Code = "resident_not_found"
	// codeTooManyPeople: more than 500 KK or 500 NIK in one assessment (422).
	codeTooManyPeople sdk.Code = "too_many_people"
	// codePopulationNotEnabled: KK/NIK need the population module in the village (422).
	codePopulationNotEnabled sdk.Code = "population_not_enabled"
	// codePopulationUnavailable: population is down or answered something unexpected (503).
	codePopulationUnavailable sdk.Code = "population_unavailable"
	// codeInvalidLogKind: a log entry's kind is not action or need (422).
	codeInvalidLogKind sdk.Code = "invalid_log_kind"
	// codeInvalidFilter: a list or summary filter is malformed (400).
	codeInvalidFilter sdk.Code = "invalid_filter"
	// codeInvalidSettings: a webhook URL that is not http(s), or a secret under 16 characters (422).
	codeInvalidSettings sdk.Code = "invalid_settings"
	// codeWebhookAddressRefused: a webhook URL whose host is written as a
	// loopback, link-local, unspecified, multicast or reserved address, or
	// as localhost (422). Private addresses are allowed.
	codeWebhookAddressRefused sdk.Code = "webhook_address_refused"
)
