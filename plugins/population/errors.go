package main

import (
	"net/http"

	"github.com/balaidesa/balai/sdk"
)

// The error codes this plugin answers besides the SDK's shared ones
// (sdk.CodeConflict, sdk.CodeForbidden, sdk.CodeUnknownField and the other
// body codes of sdk.Bind). Clients, the services plugin and the e2e tests
// act on them: they never change.
const (
	// codeNotAVillage: residents and families are written at a village
	// only (422).
	codeNotAVillage sdk.Code = "not_a_village"
	// codeInvalidNIK: what cannot be a NIK: not 16 digits, a sub-district
	// code of no official list since 2015, digits 7-12 no day (01-31 or
	// 41-71) and month, serial 0000; or a temporary number where a NIK is
	// typed (422). A date or sex part that disagrees with the record is a
	// warning (nik_warnings), not this error.
	codeInvalidNIK sdk.Code = "invalid_nik"
	// codeInvalidKK: what cannot be a family card number: not 16 digits,
	// a sub-district code of no official list, digits 7-12 no date, serial
	// 0000 (422).
	codeInvalidKK sdk.Code = "invalid_kk"
	// codeInvalidSex: sex is not L or P (422).
	codeInvalidSex sdk.Code = "invalid_sex"
	// codeInvalidBirthDate: birth_date is not YYYY-MM-DD or is in the
	// village's future (422).
	codeInvalidBirthDate sdk.Code = "invalid_birth_date"
	// codeInvalidStatus: status is not alive, deceased or moved (422).
	codeInvalidStatus sdk.Code = "invalid_status"
	// codeInvalidName .. codeInvalidNote: a text field is empty where
	// required, too long, or holds control or invisible formatting
	// characters (422).
	codeInvalidName       sdk.Code = "invalid_name"
	codeInvalidMotherName sdk.Code = "invalid_mother_name"
	codeInvalidBirthPlace sdk.Code = "invalid_birth_place"
	codeInvalidAddress    sdk.Code = "invalid_address"
	codeInvalidPlace      sdk.Code = "invalid_place"
	codeInvalidCause      sdk.Code = "invalid_cause"
	codeInvalidOrigin     sdk.Code = "invalid_origin"
	codeInvalidNote       sdk.Code = "invalid_note"
	// codeInvalidReligion .. codeInvalidBloodType: the value is not a code
	// of its list in GET /codes (422).
	codeInvalidReligion     sdk.Code = "invalid_religion"
	codeInvalidEducation    sdk.Code = "invalid_education"
	codeInvalidOccupation   sdk.Code = "invalid_occupation"
	codeInvalidMarital      sdk.Code = "invalid_marital_status"
	codeInvalidRelationship sdk.Code = "invalid_relationship"
	codeInvalidBloodType    sdk.Code = "invalid_blood_type"
	// codeInvalidRT and codeInvalidRW: not 1 to 3 digits, or zero (422).
	// Stored in three digits, as the KTP prints them ("1" is "001").
	codeInvalidRT sdk.Code = "invalid_rt"
	codeInvalidRW sdk.Code = "invalid_rw"
	// codeDuplicateNIK: the NIK is registered already, anywhere in the
	// deployment (409).
	codeDuplicateNIK sdk.Code = "duplicate_nik"
	// codeDuplicateHead: the family already has a living head (409).
	codeDuplicateHead sdk.Code = "duplicate_head"
	// codeInvalidPatch: a PATCH tries to change what only a life event
	// changes (422).
	codeInvalidPatch sdk.Code = "invalid_patch"
	// codeForbiddenFilter: a search or lookup by a personal number the
	// caller may not see in full (403).
	codeForbiddenFilter sdk.Code = "forbidden_filter"
	// codeFamilyNotFound: no living member has this KK in the tenant (404).
	codeFamilyNotFound sdk.Code = "family_not_found"
	// codeResidentNotFound: no resident with this id in the tenant, or (at
	// POST /verify) none matching the identity given (404).
	codeResidentNotFound sdk.Code = "resident_not_found"
	// codeInvalidCSV: an import file is not readable CSV or lacks a
	// required column (422; 400 when the body cannot be read).
	codeInvalidCSV sdk.Code = "invalid_csv"
	// codeInvalidDate: a life event's date is malformed or in the
	// village's future (422).
	codeInvalidDate sdk.Code = "invalid_date"
	// codeInvalidType: not a life event type (422).
	codeInvalidType sdk.Code = "invalid_type"
	// codeInvalidResident: a birth or move-in without the resident's data (422).
	codeInvalidResident sdk.Code = "invalid_resident"
	// codeUnknownFamily: a birth into a family the village does not have (422).
	codeUnknownFamily sdk.Code = "unknown_family"
	// codeNotAlive: the resident died or moved away already (409).
	codeNotAlive sdk.Code = "not_alive"
	// codeInvalidDestination: a move's to_tenant is not another village
	// code (422).
	codeInvalidDestination sdk.Code = "invalid_destination"
	// codeUnknownDestination: no such village with the population module (422).
	codeUnknownDestination sdk.Code = "unknown_destination"
	// codeInvalidBy: GET /stats?by= names no breakdown (400).
	codeInvalidBy sdk.Code = "invalid_by"
	// codeInvalidIdentity: POST /verify with a malformed NIK, KK or
	// mother's name (422).
	codeInvalidIdentity sdk.Code = "invalid_identity"
	// codeTooManyAttempts: too many failed identity checks of a NIK;
	// Retry-After says when to try again (429).
	codeTooManyAttempts sdk.Code = "too_many_attempts"
	// codeBusy: too many identity checks of one NIK at once (503).
	codeBusy sdk.Code = "busy"

	// Identity and families (issue 11).
	//
	// codeInvalidDusun: dusun is too long or holds control or invisible
	// formatting characters (422).
	codeInvalidDusun sdk.Code = "invalid_dusun"
	// codeRelationshipSex: a husband (SHDK 2) who is not L or a wife (3)
	// who is not P (422).
	codeRelationshipSex sdk.Code = "relationship_sex_mismatch"
	// codeFamilyWithoutHead: the write would leave living members of a
	// family without its head (409): name a new head first.
	codeFamilyWithoutHead sdk.Code = "family_without_head"
	// codeFamilyExists: a new KK that already names a family of the
	// village (409).
	codeFamilyExists sdk.Code = "family_exists"
	// codeInvalidHeadID: head_id is missing, too long, or not a living
	// member of the family (422).
	codeInvalidHeadID sdk.Code = "invalid_head_id"
	// codeInvalidMembers: member_ids names a resident twice, one who is
	// not a living member of the family, or more than 100 (422).
	codeInvalidMembers sdk.Code = "invalid_members"
	// codeInvalidResidentID: resident_id is missing, too long or malformed
	// (422).
	codeInvalidResidentID sdk.Code = "invalid_resident_id"
	// Files villages hold (issue 11 items 8 and 9: import.go, export.go).
	// codeInvalidFile: an import is neither readable CSV nor a readable
	// .xlsx workbook (an .xls, a broken archive, a sheet ?sheet= does not
	// name) (422).
	codeInvalidFile sdk.Code = "invalid_file"
	// codeInvalidFormat: an export's ?format= is not csv or xlsx (400).
	codeInvalidFormat sdk.Code = "invalid_format"
	// codeInvalidParameter: an import's ?dry_run= or ?rejects= is not
	// one of its values (400).
	codeInvalidParameter sdk.Code = "invalid_parameter"

	// Reports and the duplicate check (issue 11: reports.go, duplicates.go).
	// codeInvalidPer: GET /stats or /reports/monthly with ?per= naming no
	// level below the tenant (400).
	codeInvalidPer sdk.Code = "invalid_per"
	// codeInvalidMonth: ?month= is not YYYY-MM or has not begun in the
	// village's time zone (422).
	codeInvalidMonth sdk.Code = "invalid_month"
	// codeVillageLevel: the duplicate check asked at a village; it
	// compares villages, at a district or above (422).
	codeVillageLevel sdk.Code = "village_level"
)

// invalid is the 422 answer of a malformed value.
func invalid(code sdk.Code, format string, args ...any) error {
	return sdk.Errorf(http.StatusUnprocessableEntity, code, format, args...)
}
