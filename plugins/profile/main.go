// Command profile is the village profile module (Profil Desa Digital): the
// village's identity, head and officials, contact, area, boundaries,
// coordinates, vision and mission, potential, and its live population
// count, on a public page; and, at a sub-district or district, the list of
// every village below it, the one portal for all villages.
package main

import "github.com/balaidesa/balai/sdk"

const permWrite = "profile.write"

// collection holds one record per village: the profile a clerk edits and
// the population count the event handlers keep.
const collection = "profiles"

// slotValue is the value of the unique slot field, which keeps a village
// at one record even when two writers create it at the same moment.
const slotValue = "village"

// populationEvents are recounted on; see count.go.
var populationEvents = []string{
	"population.resident_registered", "population.resident_born", "population.resident_died",
	"population.resident_moved_out", "population.resident_moved_in", "population.resident_moved",
	"population.residents_imported",
}

var plugin = sdk.Plugin{
	ID: "profile", Version: "0.1.0", Vendor: "Balai",
	Description: "Village profile: identity, officials, area, boundaries, potential; public page",
	Permissions: []sdk.Permission{
		{Name: permWrite, Description: "edit the village profile", Roles: []string{"operator"}},
	},
	Routes: []sdk.Route{
		// "/{$}" is the plugin's root only: /api/v1/t/{village}/profile.
		{Method: "GET", Path: "/{$}", Public: true, Handler: sdk.Func(getProfile)},
		{Method: "PUT", Path: "/{$}", Permission: permWrite, MaxBodyBytes: 256 << 10, Handler: sdk.Func(putProfile)},
		{Method: "GET", Path: "/villages", Public: true, Handler: sdk.Func(listVillages)},
	},
	Pages:    pages(),
	Consumes: consumers(),
	Collections: []sdk.Collection{{
		Name: collection,
		Fields: []sdk.Field{
			{Name: "slot", Type: sdk.String, Required: true},
			{Name: "head", Type: sdk.String},
			{Name: "address", Type: sdk.String},
			{Name: "phone", Type: sdk.String},
			{Name: "email", Type: sdk.String},
			{Name: "website", Type: sdk.String},
			{Name: "area_km2", Type: sdk.Float},
			{Name: "boundaries", Type: sdk.Object},
			{Name: "latitude", Type: sdk.Float},
			{Name: "longitude", Type: sdk.Float},
			{Name: "vision", Type: sdk.String},
			{Name: "mission", Type: sdk.Object},
			{Name: "officials", Type: sdk.Object},
			{Name: "potential", Type: sdk.Object},
			// edition is the version clerks see: it moves only when the
			// profile is edited, not when the population is recounted.
			{Name: "edition", Type: sdk.Int},
			{Name: "edited_at", Type: sdk.Time},
			{Name: "population", Type: sdk.Int},
			{Name: "counted_at", Type: sdk.Time},
		},
		Indexes: []sdk.Index{{Fields: []string{"slot"}, Unique: true}},
	}},
}

// consumers recounts the population on each of populationEvents.
func consumers() []sdk.Consumer {
	out := make([]sdk.Consumer, len(populationEvents))
	for i, name := range populationEvents {
		out[i] = sdk.Consumer{Event: name, Handle: onPopulationEvent}
	}
	return out
}

func main() { sdk.Serve(&plugin) }
