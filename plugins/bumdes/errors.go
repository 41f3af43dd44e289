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
	// codeWrongLevel: enterprises live at a village (BUM Desa) or a
	// district (BUMDes Bersama), not at a regency or province (422).
	codeWrongLevel sdk.Code = "not_a_village_or_district"
	// codeKindLevel: kind desa is registered at its village, kind bersama
	// at the district of its member villages (422).
	codeKindLevel sdk.Code = "kind_not_for_level"
	// codeInvalidKind: kind is not desa or bersama (422).
	codeInvalidKind sdk.Code = "invalid_kind"
	// codeEnterpriseExists: the village already has its BUM Desa (409).
	codeEnterpriseExists sdk.Code = "enterprise_exists"
	// codeEnterpriseNotFound: no enterprise with this id here (404).
	codeEnterpriseNotFound sdk.Code = "enterprise_not_found"
	// codeInvalidName: a name (enterprise, unit, manager) is missing, too
	// long or unprintable; field names which (422).
	codeInvalidName sdk.Code = "invalid_name"
	// codeInvalidRegistration: registration_number is not a Kemenkumham
	// legal entity number "AHU-00123.AH.01.33.Tahun 2021" (422).
	codeInvalidRegistration sdk.Code = "invalid_registration_number"
	// codeInvalidPerdes: the founding Perdes (or joint regulation) number
	// is too long or unprintable (422).
	codeInvalidPerdes sdk.Code = "invalid_perdes_number"
	// codeInvalidDate: a date is not YYYY-MM-DD; field names which (422).
	codeInvalidDate sdk.Code = "invalid_date"
	// codeDateInFuture: a date is after the tenant's today (422).
	codeDateInFuture sdk.Code = "date_in_future"
	// codeInvalidText: an address, description or note is too long or
	// unprintable; field names which (422).
	codeInvalidText sdk.Code = "invalid_text"
	// codeInvalidMembers: a BUMDes Bersama needs two or more distinct
	// village codes in members (and a BUM Desa none) (422).
	codeInvalidMembers sdk.Code = "invalid_members"
	// codeMemberNotInDistrict: a member is not a village of the district
	// the BUMDes Bersama is registered at (422).
	codeMemberNotInDistrict sdk.Code = "member_not_in_district"
	// codeMemberModuleOff: the module is not enabled at a member village,
	// which then could not show the enterprise (422).
	codeMemberModuleOff sdk.Code = "member_module_off"
	// codeInvalidClassification: not perintis, pemula, berkembang or maju,
	// or given without classification_year: on registration, and on a
	// PATCH that changes it (field classification_year then) (422).
	codeInvalidClassification sdk.Code = "invalid_classification"
	// codeInvalidYear: a year is not from 2000 to next year (422 in a
	// body, 400 in a query).
	codeInvalidYear sdk.Code = "invalid_year"
	// codeEmptyPatch: a PATCH changes nothing (422).
	codeEmptyPatch sdk.Code = "empty_patch"
	// codeInvalidRole: the management role is not one of roles (422).
	codeInvalidRole sdk.Code = "invalid_role"
	// codeInvalidNIK: a NIK is not 16 digits (422).
	codeInvalidNIK sdk.Code = "invalid_nik"
	// codeInvalidPhone: a phone is not an Indonesian number (422).
	codeInvalidPhone sdk.Code = "invalid_phone"
	// codeInvalidUnitType: the unit type is not one of unitTypes (422).
	codeInvalidUnitType sdk.Code = "invalid_unit_type"
	// codeUnitExists: the enterprise has a unit of this name, compared
	// as a clerk reads it: case and spaces aside (409).
	codeUnitExists sdk.Code = "unit_exists"
	// codeUnitNotFound: no unit with this id in the enterprise (404/422).
	codeUnitNotFound sdk.Code = "unit_not_found"
	// codeInvalidPeriod: semester is not 1 or 2 (422).
	codeInvalidPeriod sdk.Code = "invalid_period"
	// codePeriodInFuture: the semester has not begun yet (422).
	codePeriodInFuture sdk.Code = "period_in_future"
	// codeNegative: revenue, costs, pades, assets or employees is below
	// zero; field names which (422).
	codeNegative sdk.Code = "negative_amount"
	// codeReportExists: the unit already reported this semester: correct
	// it instead (409).
	codeReportExists sdk.Code = "report_exists"
	// codeReportNotFound: no report with this id in the enterprise (404).
	codeReportNotFound sdk.Code = "report_not_found"
	// codeInvalidAmount: a capital amount is not a positive whole rupiah,
	// a capital amount or report figure is above maxFigure (Rp 10
	// trillion, which itself is accepted), employees are above
	// maxEmployees (100,000, itself accepted), or it is no whole number an int64 holds (1e30, 99999999999999999999, 1500.5: Bind's range tag) (422).
	codeInvalidAmount sdk.Code = "invalid_amount"
	// codeInvalidSource: a capital source is not one of capitalSources, or
	// its village is not a member (422).
	codeInvalidSource sdk.Code = "invalid_source"
	// codeMallOff: the marketplace module is not enabled here (409).
	codeMallOff sdk.Code = "marketplace_not_enabled"
	// codeSellerExists: the unit already sells in the mall (409).
	codeSellerExists sdk.Code = "seller_exists"
	// codeMallAtVillage: mall sellers are a village's; a BUMDes Bersama's
	// unit opens its seller in one member village's mall by hand (422).
	codeMallAtVillage sdk.Code = "mall_needs_village"
	// codeUnitInactive: the unit is closed (409).
	codeUnitInactive sdk.Code = "unit_inactive"
)

// errCode is the code of an *sdk.Error, or "".
func errCode(err error) sdk.Code {
	var e *sdk.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// invalid is a 422 naming the field at fault.
func invalid(code sdk.Code, field, format string, args ...any) error {
	return &sdk.Error{Status: http.StatusUnprocessableEntity, Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}
