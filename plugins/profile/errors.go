package main

import "github.com/balaidesa/balai/sdk"

// The error codes this plugin answers besides the SDK's shared ones
// (sdk.CodeUnknownField, sdk.CodeMalformedJSON, sdk.CodeInvalidText,
// sdk.CodeInvalidPaging). Clients, the README and the e2e tests act on
// them: they never change.
const (
	// codeNotAVillage: GET or PUT of a profile at a tenant that is not a
	// village (422).
	codeNotAVillage sdk.Code = "not_a_village"
	// codeNoVillagesBelow: GET /villages at a village (422).
	codeNoVillagesBelow sdk.Code = "no_villages_below"
	// codeVersionConflict: PUT with a version another clerk has saved over
	// (409).
	codeVersionConflict sdk.Code = "version_conflict"
	// codeBusy: recounts kept changing the record while a PUT was saved;
	// try again (409).
	codeBusy sdk.Code = "busy"
	// codeVersionRequired: PUT without the version it read (422).
	codeVersionRequired sdk.Code = "version_required"
)

// The codes of PUT's field errors (422): each names the field at fault,
// and a value of the wrong type answers its field's code too.
const (
	codeInvalidVersion        sdk.Code = "invalid_version"
	codeInvalidHead           sdk.Code = "invalid_head"
	codeInvalidAddress        sdk.Code = "invalid_address"
	codeInvalidContact        sdk.Code = "invalid_contact"
	codeInvalidContactPhone   sdk.Code = "invalid_contact_phone"
	codeInvalidContactEmail   sdk.Code = "invalid_contact_email"
	codeInvalidContactWebsite sdk.Code = "invalid_contact_website"
	codeInvalidAreaKm2        sdk.Code = "invalid_area_km2"
	codeInvalidBoundaries     sdk.Code = "invalid_boundaries"
	codeInvalidBoundaryNorth  sdk.Code = "invalid_boundaries_north"
	codeInvalidBoundaryEast   sdk.Code = "invalid_boundaries_east"
	codeInvalidBoundarySouth  sdk.Code = "invalid_boundaries_south"
	codeInvalidBoundaryWest   sdk.Code = "invalid_boundaries_west"
	codeInvalidCoordinates    sdk.Code = "invalid_coordinates"
	codeInvalidLatitude       sdk.Code = "invalid_coordinates_latitude"
	codeInvalidLongitude      sdk.Code = "invalid_coordinates_longitude"
	codeInvalidVision         sdk.Code = "invalid_vision"
	codeInvalidMission        sdk.Code = "invalid_mission"
	codeInvalidOfficials      sdk.Code = "invalid_officials"
	codeInvalidPotential      sdk.Code = "invalid_potential"
)

// fieldCodes gives the code of a type error by the path of its field,
// list positions left out ("officials.name" is under "officials"): the
// path's first two parts, or else its first.
var fieldCodes = map[string]sdk.Code{
	"version": codeInvalidVersion, "head": codeInvalidHead, "address": codeInvalidAddress,
	"contact": codeInvalidContact, "contact.phone": codeInvalidContactPhone,
	"contact.email": codeInvalidContactEmail, "contact.website": codeInvalidContactWebsite,
	"area_km2":   codeInvalidAreaKm2,
	"boundaries": codeInvalidBoundaries, "boundaries.north": codeInvalidBoundaryNorth,
	"boundaries.east": codeInvalidBoundaryEast, "boundaries.south": codeInvalidBoundarySouth,
	"boundaries.west": codeInvalidBoundaryWest,
	"coordinates":     codeInvalidCoordinates, "coordinates.latitude": codeInvalidLatitude,
	"coordinates.longitude": codeInvalidLongitude,
	"vision":                codeInvalidVision, "mission": codeInvalidMission,
	"officials": codeInvalidOfficials, "potential": codeInvalidPotential,
}
