package main

import "github.com/balaidesa/balai/sdk"

// The error codes this plugin answers besides the SDK's shared ones
// (sdk.CodeConflict, sdk.CodeForbidden, sdk.CodeMalformedJSON,
// sdk.CodeUnknownField, sdk.CodeInvalidField). Clients and the e2e tests
// act on them: they never change.
const (
	// codeInvalidSettings: PUT /settings or a template holds a value that
	// cannot be printed or saved (422).
	codeInvalidSettings sdk.Code = "invalid_settings"
	// codeInvalidTargetDays: target_days in PUT /settings is not 1 to 30
	// working days (422).
	codeInvalidTargetDays sdk.Code = "invalid_target_days"
	// codeTargetDaysAtRegency: a village or district's PUT /settings
	// changes target_days, the service standard the regency sets for all
	// its villages (422).
	codeTargetDaysAtRegency sdk.Code = "target_days_at_regency"
	// codeUnknownType: no letter type has this code (404 in a path, 422 in
	// a body).
	codeUnknownType sdk.Code = "unknown_type"
	// codeNotAVillage: letter requests are written at a village only (422).
	codeNotAVillage sdk.Code = "not_a_village"
	// codeInvalidNIK: a NIK is not 16 digits (422).
	codeInvalidNIK sdk.Code = "invalid_nik"
	// codeInvalidPurpose: the purpose (keperluan) is missing or unprintable (422).
	codeInvalidPurpose sdk.Code = "invalid_purpose"
	// codeMissingField: a letter type's required field is missing (422).
	codeMissingField sdk.Code = "missing_field"
	// codeResidentDeceased: only a death letter is made for a deceased resident (422).
	codeResidentDeceased sdk.Code = "resident_deceased"
	// codeUnknownResident: no resident of the village matches (422).
	codeUnknownResident sdk.Code = "unknown_resident"
	// codeNotDeceased: a death letter (kematian) for a resident the
	// register records as alive (422).
	codeNotDeceased sdk.Code = "not_deceased"
	// codeUnknownChild: a birth letter's child_nik names no resident of
	// the requester's family in the village (422).
	codeUnknownChild sdk.Code = "unknown_child"
	// codeInvalidIdentity: a citizen's KK or mother's name is malformed,
	// passed on from population (422).
	codeInvalidIdentity sdk.Code = "invalid_identity"
	// codeRequestNotFound: no letter request with this id or tracking code (404).
	codeRequestNotFound sdk.Code = "request_not_found"
	// codeLetterNotFound: no letter with this verification code (404).
	codeLetterNotFound sdk.Code = "letter_not_found"
	// codeInvalidFilter: a list or statistics filter is malformed (400).
	codeInvalidFilter sdk.Code = "invalid_filter"
	// codeForbiddenFilter: a search by NIK without the right to see or
	// look up NIKs (403).
	codeForbiddenFilter sdk.Code = "forbidden_filter"
	// codeInvalidState: the request's state does not allow the action (409).
	codeInvalidState sdk.Code = "invalid_state"
	// codeLetterNotIssued: a letter is printed only once issued (409): an
	// approved letter's QR code would verify as not valid.
	codeLetterNotIssued sdk.Code = "letter_not_issued"
	// codeFourEyesRequired: the tenant requires a second person to approve
	// and the caller submitted or last edited the request (403).
	codeFourEyesRequired sdk.Code = "four_eyes_required"
	// codeInvalidReason: a rejection or revocation reason is missing or
	// unprintable (422).
	codeInvalidReason sdk.Code = "invalid_reason"
	// codePublicBaseURLMissing: no address to print in a letter's QR code (422).
	codePublicBaseURLMissing sdk.Code = "public_base_url_missing"
	// codeDuplicateNumber: the number template gave a number already used (409).
	codeDuplicateNumber sdk.Code = "duplicate_number"
	// codeBusy: too many concurrent writers; try again (503).
	codeBusy sdk.Code = "busy"
	// codeTooManyRequests: a resident's online requests waiting for a
	// decision are at their limit, with Retry-After (429).
	codeTooManyRequests sdk.Code = "too_many_requests"
	// codePopulationNotEnabled: letters need the population module (422).
	codePopulationNotEnabled sdk.Code = "population_not_enabled"
	// codePopulationUnavailable: population is missing or answered
	// something unexpected (503: a service the letter depends on is down,
	// which the SDK answers with this code; a 500 would be answered as
	// internal and hide it).
	codePopulationUnavailable sdk.Code = "population_unavailable"
	// codeEmblemNotAnImage: the emblem is not a PNG or JPEG image the
	// printer can draw (415).
	codeEmblemNotAnImage sdk.Code = "emblem_not_an_image"
	// codeEmblemTooLarge: the emblem file is over maxEmblemBytes (413).
	codeEmblemTooLarge sdk.Code = "emblem_too_large"
	// codeEmblemDimensions: the emblem's pixel width or height is outside
	// minEmblemPixels..maxEmblemPixels (422).
	codeEmblemDimensions sdk.Code = "emblem_dimensions"
	// codeEmblemNotFound: the tenant and the tenants above it have no
	// emblem (404).
	codeEmblemNotFound sdk.Code = "emblem_not_found"
	// codeMalformedForm: a multipart upload cannot be read or has no file
	// part (400).
	codeMalformedForm sdk.Code = "malformed_form"
)

// Codes the population module and the host answer calls to population
// with, which services translates.
const (
	popModuleNotEnabled sdk.Code = "module_not_enabled"
	popResidentNotFound sdk.Code = "resident_not_found"
	popInvalidIdentity  sdk.Code = "invalid_identity"
)
