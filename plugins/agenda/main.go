// Command agenda is the activities and meetings module (Jadwalin Bae): a
// village's calendar of events (musyawarah desa, posyandu, gotong royong,
// meetings...), public or internal, one-off or recurring by an RFC 5545
// RRULE, with the officials attending and a warning when one of them is
// booked twice; citizens read the public events on the village's page and
// subscribe to them in their phone's calendar (calendar.ics); a
// sub-district or regency gathers the public events of its villages.
package main

import (
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
)

const (
	// permRead shows internal events (and officials' double bookings).
	permRead = "agenda.events.read"
	// permWrite creates, edits and cancels events.
	permWrite = "agenda.events.write"
)

// collection holds one record per event (a recurring event is one record
// with its rule; occurrences are computed, never stored).
const collection = "events"

// The events the module publishes, one per state change.
const (
	eventCreated   = "agenda.event_created"
	eventUpdated   = "agenda.event_updated"
	eventCancelled = "agenda.event_cancelled"
)

// feedLimit bounds a public read route per client: a phone's calendar
// refreshes a subscription a few times an hour, a script thousands.
var feedLimit = &sdk.RateLimit{Requests: 60, Window: time.Minute}

// pluginID is the module's id: its URL segment and binary's name.
const pluginID = "agenda"

var plugin = sdk.Plugin{
	ID: pluginID, Version: "0.1.0", Vendor: "Balai",
	Description: "Activities and meetings calendar: public and internal events, recurrence, officials' double bookings, iCalendar feed, district and regency agendas",
	Permissions: []sdk.Permission{
		{Name: permRead, Description: "see internal events and the officials' double bookings", Roles: []string{"viewer", "operator"}},
		{Name: permWrite, Description: "create, edit and cancel events", Roles: []string{"operator"}},
	},
	Routes: []sdk.Route{
		{Method: "POST", Path: "/events", Permission: permWrite, MaxBodyBytes: 64 << 10, Handler: sdk.Func(createEvent)},
		{Method: "GET", Path: "/events", Public: true, RateLimit: feedLimit, Handler: sdk.Func(listEvents)},
		{Method: "GET", Path: "/events/{id}", Public: true, RateLimit: feedLimit, Handler: sdk.Func(getEvent)},
		{Method: "PUT", Path: "/events/{id}", Permission: permWrite, MaxBodyBytes: 64 << 10, Handler: sdk.Func(updateEvent)},
		{Method: "POST", Path: "/events/{id}/cancel", Permission: permWrite, MaxBodyBytes: 16 << 10, Handler: sdk.Func(cancelEvent)},
		{Method: "GET", Path: "/summary", Public: true, RateLimit: feedLimit, Handler: sdk.Func(summary)},
		{Method: "GET", Path: "/calendar.ics", Public: true, RateLimit: feedLimit, Handler: http.HandlerFunc(calendarFeed)},
	},
	Pages:     pages(),
	Publishes: []string{eventCreated, eventUpdated, eventCancelled},
	Collections: []sdk.Collection{{
		Name: collection,
		Fields: []sdk.Field{
			// uid is the event's key outside the deployment: the
			// iCalendar UID and the key of the module's events (the record
			// id is not known when agenda.event_created is recorded).
			{Name: "uid", Type: sdk.String, Required: true},
			{Name: "title", Type: sdk.String, Required: true},
			{Name: "description", Type: sdk.String},
			{Name: "category", Type: sdk.String, Required: true},
			{Name: "place", Type: sdk.String},
			{Name: "visibility", Type: sdk.String, Required: true},
			{Name: "all_day", Type: sdk.Bool, Required: true},
			// start_at and end_at are the first occurrence's instants in
			// UTC (an all-day event: the village's midnights, end
			// exclusive); start_date and end_date its dates in the
			// village's zone (end inclusive).
			{Name: "start_at", Type: sdk.Time, Required: true},
			{Name: "end_at", Type: sdk.Time, Required: true},
			{Name: "start_date", Type: sdk.Date, Required: true},
			{Name: "end_date", Type: sdk.Date, Required: true},
			{Name: "time_zone", Type: sdk.String, Required: true},
			{Name: "officials", Type: sdk.Object},
			{Name: "rrule", Type: sdk.String},
			// series_end is when the last occurrence ends (far in the
			// future for an endless rule): a window's query reads only
			// the events with start_at < to and series_end > from.
			{Name: "series_end", Type: sdk.Time, Required: true},
			{Name: "status", Type: sdk.String, Required: true},
			{Name: "created_by", Type: sdk.String},
			{Name: "updated_by", Type: sdk.String},
			{Name: "cancelled_by", Type: sdk.String},
			{Name: "cancelled_at", Type: sdk.Time},
			{Name: "cancel_reason", Type: sdk.String},
			// cancelled_dates: single occurrences of a series called
			// off, by their date in the village's zone, with the reason.
			{Name: "cancelled_dates", Type: sdk.Object},
		},
		Indexes: []sdk.Index{
			{Fields: []string{"uid"}, Unique: true, DeploymentWide: true},
			{Fields: []string{"start_at"}},
			{Fields: []string{"series_end"}},
			{Fields: []string{"visibility", "start_at"}},
		},
	}},
}

func main() { sdk.Serve(&plugin) }
