package main

import (
	"errors"

	"github.com/balaidesa/balai/sdk"
)

// The error codes this plugin answers besides the SDK's shared ones
// (sdk.CodeConflict, sdk.CodeMalformedJSON, sdk.CodeUnknownField,
// sdk.CodeInvalidField, sdk.CodeInvalidPaging). Clients and the e2e tests
// act on them: they never change.
const (
	// codeNotAVillage: complaints are made to and written at a village (422).
	codeNotAVillage sdk.Code = "not_a_village"
	// codeInvalidCategory: the category is not one of categories (422).
	codeInvalidCategory sdk.Code = "invalid_category"
	// codeInvalidDescription: the description is missing, too long or unprintable (422).
	codeInvalidDescription sdk.Code = "invalid_description"
	// codeInvalidPlace: the place is too long or unprintable (422).
	codeInvalidPlace sdk.Code = "invalid_place"
	// codeInvalidName: the complainant's name is too long or unprintable (422).
	codeInvalidName sdk.Code = "invalid_name"
	// codeInvalidPhone: the phone number is not an Indonesian number (422).
	codeInvalidPhone sdk.Code = "invalid_phone"
	// codeNotAnImage: the photo is not a JPEG, PNG or WebP image (415).
	codeNotAnImage sdk.Code = "not_an_image"
	// codePhotoTooLarge: the photo is over 5 MiB (413).
	codePhotoTooLarge sdk.Code = "photo_too_large"
	// codeMalformedForm: a multipart form cannot be read (400).
	codeMalformedForm sdk.Code = "malformed_form"
	// codeComplaintNotFound: no complaint with this id or tracking code (404).
	codeComplaintNotFound sdk.Code = "complaint_not_found"
	// codeInvalidState: the complaint's state does not allow the action (409).
	codeInvalidState sdk.Code = "invalid_state"
	// codeInvalidAssignee: neither user nor official, both, or malformed (422).
	codeInvalidAssignee sdk.Code = "invalid_assignee"
	// codeInvalidAnswer: the answer is missing, too long or unprintable (422).
	codeInvalidAnswer sdk.Code = "invalid_answer"
	// codeInvalidReason: a rejection or escalation reason is missing or unprintable (422).
	codeInvalidReason sdk.Code = "invalid_reason"
	// codeInvalidTarget: an escalation's "to" is not district or regency,
	// or not above where the complaint is (422).
	codeInvalidTarget sdk.Code = "invalid_escalation_target"
	// codeEscalated: the complaint was escalated and only officials of the
	// district or regency it went to act on it (403).
	codeEscalated sdk.Code = "escalated_elsewhere"
	// codeInvalidRating: a rating is not a whole number from 1 to 5, or its
	// comment is malformed (422).
	codeInvalidRating sdk.Code = "invalid_rating"
	// codeAlreadyRated: the answer was rated already (409).
	codeAlreadyRated sdk.Code = "already_rated"
	// codeInvalidFilter: a list or statistics filter is malformed (400).
	codeInvalidFilter sdk.Code = "invalid_filter"
	// codeInvalidSettings: PUT /settings holds a value that cannot be used (422).
	codeInvalidSettings sdk.Code = "invalid_settings"
	// codeNotARegency: the response target and holidays are set by a regency (422).
	codeNotARegency sdk.Code = "not_a_regency"
)

// errCode is the code of an *sdk.Error, or "".
func errCode(err error) sdk.Code {
	var e *sdk.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
