// Command evaluation is the performance accountability module (SAKIP, as
// Ogan Ilir's EVALAKIP): villages and districts (kecamatan) set their
// performance indicators per year and report each quarter's achievement
// with evidence, some indicators reading their value from the other
// modules' data (letters on time, complaints answered on time, budget
// realisation, population records complete) instead of typing it; the
// regency's evaluators fill the evaluation worksheet of PermenPAN-RB
// 88/2021 per unit and year, whose weighted score gives the grade (AA to
// D), and send recommendations back to the unit, which answers each. The
// regency sees every unit's grade, achievement and the cross-module
// measures in one table.
package main

import (
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// Permissions of the module.
const (
	// permRead reads indicators, achievements and their evidence, published
	// results, recommendations, the regency's table and the scores.
	permRead = "evaluation.performance.read"
	// permReport sets a unit's indicators and reports their achievements.
	permReport = "evaluation.indicators.write"
	// permRespond answers the recommendations of a published evaluation
	// (the unit's own staff, granted at the unit itself).
	permRespond = "evaluation.recommendations.respond"
	// permEvaluate fills and publishes evaluation worksheets: the
	// regency's evaluators (inspectorate), granted at the regency. No
	// built-in role but admin holds it; a regency gives it with a role of
	// its own ("evaluator").
	permEvaluate = "evaluation.evaluations.write"
)

// Events the module publishes (no personal data).
const (
	// evAchievement: {"unit","indicator","year","quarter","percent","source"}.
	evAchievement = "evaluation.achievement_reported"
	// evPublished: {"unit","year","score","grade","recommendations"}, in
	// the regency and in the unit.
	evPublished = "evaluation.evaluation_published"
	// evResponded: {"unit","year","recommendation","status"}.
	evResponded = "evaluation.recommendation_answered"
)

// maxEvidenceBytes bounds an achievement's evidence file (a scanned
// report, a photo); multipartSlack the form around it.
const (
	maxEvidenceBytes = sdk.MaxEvidenceBytes
	multipartSlack   = 64 << 10
)

// sourceUses are the read permissions of the four source modules'
// GET /performance, exercised on the caller's behalf.
var sourceUses = []string{"services.requests.read", "complaints.complaints.read", "finance.budgets.read", "population.residents.read"}

// pluginID is the module's id.
const pluginID = "evaluation"

var plugin = sdk.Plugin{
	ID: pluginID, Version: "0.1.0", Vendor: "Balai",
	Description: "Performance accountability (SAKIP/EVALAKIP): indicators and quarterly achievements with evidence or read from other modules, the PermenPAN-RB 88/2021 worksheet and grade, recommendations and responses, regency table",
	Permissions: []sdk.Permission{
		{Name: permRead, Description: "read indicators, achievements, published evaluations, recommendations, the regency table and scores", Roles: []string{"viewer", "operator"}},
		{Name: permReport, Description: "set the unit's performance indicators and report their quarterly achievements", Roles: []string{"operator"}},
		{Name: permRespond, Description: "answer the recommendations of the unit's evaluation (granted at the unit)", Roles: []string{"operator"}},
		{Name: permEvaluate, Description: "fill and publish evaluation worksheets (the regency's evaluators, granted at the regency)"},
	},
	Uses: sourceUses,
	Routes: []sdk.Route{
		{Method: "POST", Path: "/indicators", Permission: permReport, Handler: sdk.Func(createIndicator)},
		{Method: "GET", Path: "/indicators", Permission: permRead, Handler: sdk.Func(listIndicators)},
		{Method: "GET", Path: "/indicators/{id}", Permission: permRead, Handler: sdk.Func(getIndicator)},
		{Method: "PATCH", Path: "/indicators/{id}", Permission: permReport, Handler: sdk.Func(patchIndicator)},
		{Method: "POST", Path: "/indicators/{id}/achievements", Permission: permReport, MaxBodyBytes: maxEvidenceBytes + multipartSlack, Timeout: time.Minute, Handler: sdk.Func(postAchievement)},
		{Method: "GET", Path: "/achievements/{id}/evidence", Permission: permRead, Handler: http.HandlerFunc(serveEvidence)},
		{Method: "PUT", Path: "/evaluations/{year}/{unit}", Permission: permEvaluate, Handler: sdk.Func(putEvaluation)},
		{Method: "GET", Path: "/evaluations/{year}/{unit}", Permission: permRead, Handler: sdk.Func(getEvaluation)},
		{Method: "POST", Path: "/evaluations/{year}/{unit}/publish", Permission: permEvaluate, Handler: sdk.Func(publishEvaluation)},
		{Method: "GET", Path: "/evaluations/{year}", Permission: permRead, Timeout: time.Minute, Handler: sdk.Func(regencyTable)},
		{Method: "GET", Path: "/scores", Permission: permRead, Handler: sdk.Func(scores)},
		{Method: "GET", Path: "/recommendations", Permission: permRead, Handler: sdk.Func(listRecommendations)},
		{Method: "POST", Path: "/recommendations/{id}/response", Permission: permRespond, Handler: sdk.Func(respondRecommendation)},
	},
	Pages:     pages, // ui_console.go, ui_public.go
	Publishes: []string{evAchievement, evPublished, evResponded},
	Collections: []sdk.Collection{
		{
			// indicators: a unit's performance indicators of a year, kept
			// at the unit (village or district).
			Name: "indicators",
			Fields: []sdk.Field{
				{Name: "year", Type: sdk.Int, Required: true},
				{Name: "name", Type: sdk.String, Required: true},
				{Name: "measure", Type: sdk.String, Required: true},
				{Name: "target", Type: sdk.Float, Required: true},
				{Name: "higher_is_better", Type: sdk.Bool, Required: true},
				{Name: "source", Type: sdk.String},
				{Name: "description", Type: sdk.String},
				{Name: "created_by", Type: sdk.String},
			},
			Indexes: []sdk.Index{{Fields: []string{"year", "name"}, Unique: true}},
		},
		{
			// achievements: one per indicator and quarter, at the unit.
			Name: "achievements",
			Fields: []sdk.Field{
				{Name: "indicator", Type: sdk.String, Required: true},
				{Name: "year", Type: sdk.Int, Required: true},
				{Name: "quarter", Type: sdk.Int, Required: true},
				{Name: "realisation", Type: sdk.Float, Required: true},
				{Name: "percent", Type: sdk.Float, Required: true},
				{Name: "note", Type: sdk.String},
				{Name: "evidence", Type: sdk.Object},
				{Name: "source", Type: sdk.String},
				{Name: "numerator", Type: sdk.Float},
				{Name: "denominator", Type: sdk.Float},
				{Name: "period_from", Type: sdk.Date},
				{Name: "period_to", Type: sdk.Date},
				{Name: "recorded_by", Type: sdk.String},
				{Name: "recorded_at", Type: sdk.Time, Required: true},
			},
			Indexes: []sdk.Index{{Fields: []string{"indicator", "quarter"}, Unique: true}, {Fields: []string{"year", "quarter"}}},
		},
		{
			// evaluations: the worksheets, kept at the regency whose
			// evaluators write them (one per unit and year).
			Name: "evaluations",
			Fields: []sdk.Field{
				{Name: "year", Type: sdk.Int, Required: true},
				{Name: "unit", Type: sdk.String, Required: true},
				{Name: "unit_name", Type: sdk.String},
				{Name: "unit_level", Type: sdk.String},
				{Name: "state", Type: sdk.String, Required: true},
				{Name: "worksheet", Type: sdk.Object, Required: true},
				{Name: "score", Type: sdk.Float},
				{Name: "grade", Type: sdk.String},
				{Name: "updated_by", Type: sdk.String},
				{Name: "published_by", Type: sdk.String},
				{Name: "published_at", Type: sdk.Time},
			},
			Indexes: []sdk.Index{{Fields: []string{"year", "unit"}, Unique: true}, {Fields: []string{"year", "state"}}},
		},
		{
			// results: the published evaluation, copied to the unit when
			// the evaluator publishes it, so the unit reads it at its own
			// address (one per year).
			Name: "results",
			Fields: []sdk.Field{
				{Name: "year", Type: sdk.Int, Required: true},
				{Name: "regency", Type: sdk.String, Required: true},
				{Name: "worksheet", Type: sdk.Object, Required: true},
				{Name: "score", Type: sdk.Float, Required: true},
				{Name: "grade", Type: sdk.String, Required: true},
				{Name: "published_by", Type: sdk.String},
				{Name: "published_at", Type: sdk.Time, Required: true},
			},
			Indexes: []sdk.Index{{Fields: []string{"year"}, Unique: true}, {Fields: []string{"grade"}}},
		},
		{
			// recommendations: each recommendation of a published
			// evaluation, at the unit, with the unit's response.
			Name: "recommendations",
			Fields: []sdk.Field{
				{Name: "year", Type: sdk.Int, Required: true},
				{Name: "number", Type: sdk.Int, Required: true},
				{Name: "text", Type: sdk.String, Required: true},
				{Name: "status", Type: sdk.String, Required: true},
				{Name: "response", Type: sdk.String},
				{Name: "responded_by", Type: sdk.String},
				{Name: "responded_at", Type: sdk.Time},
			},
			Indexes: []sdk.Index{{Fields: []string{"year", "number"}, Unique: true}, {Fields: []string{"status"}}},
		},
	},
}

func main() { sdk.Serve(&plugin) }
