// Command bumdes is the village-owned enterprise module (Badan Usaha Milik
// Desa, PP 11/2021): a village's enterprise, or a BUMDes Bersama owned by
// several villages of one district (kecamatan); its legal registration
// (Kemenkumham), founding Perdes, management and its changes, its
// classification (Kepmendesa PDTT 145/2022: perintis, pemula, berkembang,
// maju), the village capital put in (penyertaan modal) compared with the
// APBDes financing line 6.2.2 when the finance module is on, its business
// units (each can open a seller in the village mall), semester reports per
// unit, the village's public page and the regency's roll-up.
package main

import (
	"github.com/balaidesa/balai/sdk"
)

const pluginID = "bumdes"

// Permissions of the module.
const (
	// permRead reads enterprises' management (NIK and phone masked),
	// capital entries with the budget comparison, and reports.
	permRead = "bumdes.enterprises.read"
	// permWrite registers enterprises and edits them: management, units,
	// capital, reports, mall sellers.
	permWrite = "bumdes.enterprises.write"
	// permPersonal shows managers' NIK and phone numbers (each read
	// audited by the host).
	permPersonal = "bumdes.enterprises.read_personal"
)

// Permissions of other modules this one exercises with req.Call.
const (
	// usesFinance reads the APBDes (its public approved version needs no
	// permission; declared so that a reader's call is not refused).
	usesFinance = "finance.budgets.read"
	// usesMall creates the unit's seller in the village mall.
	usesMall = "marketplace.catalog.write"
)

// Events the module publishes; payloads carry no personal data.
const (
	// evRegistered: {"tenant","kind","name","registration_number","members"},
	// and "enterprise" (its id) for a BUMDes Bersama.
	evRegistered = "bumdes.enterprise_registered"
	// evUpdated: {"enterprise","tenant","fields":[names changed]}.
	evUpdated = "bumdes.enterprise_updated"
	// evManagement: {"enterprise","tenant","role"}: a manager appointed.
	evManagement = "bumdes.management_changed"
	// evUnit: {"enterprise","tenant","unit","type","name"}.
	evUnit = "bumdes.unit_added"
	// evReport: {"enterprise","tenant","unit","year","semester","revenue","costs","profit","pades","corrected"}.
	evReport = "bumdes.report_submitted"
	// evCapital: {"enterprise","tenant","year","amount","source"}.
	evCapital = "bumdes.capital_recorded"
	// evSeller: {"enterprise","tenant","unit","seller"}.
	evSeller = "bumdes.unit_seller_opened"
)

var plugin = sdk.Plugin{
	ID: pluginID, Version: "0.1.0", Vendor: "Balai",
	Description: "Village-owned enterprises (BUM Desa, PP 11/2021) and BUMDes Bersama: registration, management, capital linked to the APBDes, business units with mall sellers, semester reports, public pages, regency roll-up",
	Permissions: []sdk.Permission{
		{Name: permRead, Description: "read enterprises, their management (NIK and phone masked), capital and reports", Roles: []string{"viewer", "operator"}},
		{Name: permWrite, Description: "register and edit enterprises, management, units, capital and reports; open mall sellers", Roles: []string{"operator"}},
		{Name: permPersonal, Description: "see managers' NIK and phone numbers (each read audited by the host)", Roles: []string{"operator"}},
	},
	Uses: []string{usesFinance, usesMall},
	Routes: []sdk.Route{
		{Method: "POST", Path: "/enterprises", Permission: permWrite, Handler: sdk.Func(createEnterprise)},
		{Method: "GET", Path: "/enterprises", Public: true, Handler: sdk.Func(listEnterprises)},
		{Method: "GET", Path: "/enterprises/{id}", Public: true, Handler: sdk.Func(getEnterprise)},
		{Method: "PATCH", Path: "/enterprises/{id}", Permission: permWrite, Handler: sdk.Func(patchEnterprise)},
		{Method: "GET", Path: "/enterprises/{id}/management", Permission: permRead, Handler: sdk.Func(listManagement)},
		{Method: "POST", Path: "/enterprises/{id}/management", Permission: permWrite, Handler: sdk.Func(appointManager)},
		{Method: "GET", Path: "/enterprises/{id}/units", Public: true, Handler: sdk.Func(listUnits)},
		{Method: "POST", Path: "/enterprises/{id}/units", Permission: permWrite, Handler: sdk.Func(createUnit)},
		{Method: "PATCH", Path: "/enterprises/{id}/units/{unit}", Permission: permWrite, Handler: sdk.Func(patchUnit)},
		{Method: "POST", Path: "/enterprises/{id}/units/{unit}/seller", Permission: permWrite, Handler: sdk.Func(openSeller)},
		{Method: "GET", Path: "/enterprises/{id}/reports", Public: true, Handler: sdk.Func(listReports)},
		{Method: "POST", Path: "/enterprises/{id}/reports", Permission: permWrite, Handler: sdk.Func(submitReport)},
		{Method: "POST", Path: "/enterprises/{id}/reports/{report}/correct", Permission: permWrite, Handler: sdk.Func(correctReport)},
		{Method: "GET", Path: "/enterprises/{id}/capital", Permission: permRead, Handler: sdk.Func(listCapital)},
		{Method: "POST", Path: "/enterprises/{id}/capital", Permission: permWrite, Handler: sdk.Func(recordCapital)},
		{Method: "GET", Path: "/summary", Public: true, Handler: sdk.Func(getSummary)},
	},
	Pages:     pages(),
	Publishes: []string{evRegistered, evUpdated, evManagement, evUnit, evReport, evCapital, evSeller},
	Collections: []sdk.Collection{{
		// enterprises holds a village's BUM Desa (kind desa, at the
		// village) or a BUMDes Bersama (kind bersama, at its district,
		// members naming the owning villages).
		Name: "enterprises",
		Fields: []sdk.Field{
			{Name: "kind", Type: sdk.String, Required: true},
			{Name: "name", Type: sdk.String, Required: true},
			{Name: "registration_number", Type: sdk.String},
			{Name: "perdes_number", Type: sdk.String},
			{Name: "perdes_date", Type: sdk.Date},
			{Name: "address", Type: sdk.String},
			{Name: "members", Type: sdk.Object},
			{Name: "classification", Type: sdk.String},
			{Name: "classification_year", Type: sdk.Int},
			// one is "desa" on a village's own enterprise, absent on a
			// BUMDes Bersama: its unique index keeps one per village.
			{Name: "one", Type: sdk.String},
			{Name: "registered_by", Type: sdk.String},
		},
		Indexes: []sdk.Index{{Fields: []string{"one"}, Unique: true}, {Fields: []string{"kind", "classification"}}},
	}, {
		// memberships is a member village's copy of a BUMDes Bersama kept
		// at its district: written by the district's staff into each member
		// village (append only: the newest seq is current), so that the
		// village's pages show it without reading above their tenant.
		// Readers take the newest per enterprise_id (grouped, then the
		// index below), never the newest N overall: one busy enterprise
		// must not crowd the others out.
		Name: "memberships",
		Fields: []sdk.Field{
			{Name: "enterprise_id", Type: sdk.String, Required: true},
			{Name: "district", Type: sdk.String, Required: true},
			{Name: "seq", Type: sdk.Int, Required: true},
			{Name: "name", Type: sdk.String, Required: true},
			{Name: "registration_number", Type: sdk.String},
			{Name: "classification", Type: sdk.String},
			{Name: "classification_year", Type: sdk.Int},
			{Name: "members", Type: sdk.Object},
			{Name: "member_villages", Type: sdk.Object},
		},
		Indexes: []sdk.Index{{Fields: []string{"enterprise_id", "seq"}, Unique: true}},
	}, {
		// managers holds every appointment to an organ of the enterprise;
		// the one without an end_date is in office.
		Name:               "managers",
		PersonalPermission: permPersonal,
		Fields: []sdk.Field{
			{Name: "enterprise_id", Type: sdk.String, Required: true},
			{Name: "role", Type: sdk.String, Required: true},
			{Name: "name", Type: sdk.String, Required: true},
			{Name: "nik", Type: sdk.String, Personal: true},
			{Name: "phone", Type: sdk.String, Personal: true},
			{Name: "start_date", Type: sdk.Date, Required: true},
			{Name: "end_date", Type: sdk.Date},
			{Name: "decree", Type: sdk.String},
			{Name: "appointed_by", Type: sdk.String},
		},
		Indexes: []sdk.Index{{Fields: []string{"enterprise_id", "role"}}},
	}, {
		Name:               "units",
		PersonalPermission: permPersonal,
		Fields: []sdk.Field{
			{Name: "enterprise_id", Type: sdk.String, Required: true},
			{Name: "type", Type: sdk.String, Required: true},
			{Name: "name", Type: sdk.String, Required: true},
			{Name: "description", Type: sdk.String},
			{Name: "manager_name", Type: sdk.String, Required: true},
			{Name: "manager_phone", Type: sdk.String, Personal: true},
			{Name: "started", Type: sdk.Date},
			{Name: "active", Type: sdk.Bool, Required: true},
			{Name: "seller_id", Type: sdk.String},
			{Name: "name_key", Type: sdk.String},
		},
		// name_key (nameKey) is unique as a clerk reads names; units
		// stored before it have none (NULL, which a unique index lets
		// repeat), so they keep loading.
		Indexes: []sdk.Index{{Fields: []string{"enterprise_id", "name"}, Unique: true}, {Fields: []string{"enterprise_id", "name_key"}, Unique: true}, {Fields: []string{"type"}}},
	}, {
		// reports holds one report per unit and semester; a correction
		// keeps the previous figures in history.
		Name: "reports",
		Fields: []sdk.Field{
			{Name: "enterprise_id", Type: sdk.String, Required: true},
			{Name: "unit_id", Type: sdk.String, Required: true},
			{Name: "unit_type", Type: sdk.String, Required: true},
			{Name: "year", Type: sdk.Int, Required: true},
			{Name: "semester", Type: sdk.Int, Required: true},
			{Name: "revenue", Type: sdk.Int, Required: true},
			{Name: "costs", Type: sdk.Int, Required: true},
			{Name: "profit", Type: sdk.Int, Required: true},
			{Name: "pades", Type: sdk.Int, Required: true},
			{Name: "assets", Type: sdk.Int, Required: true},
			{Name: "employees", Type: sdk.Int, Required: true},
			{Name: "note", Type: sdk.String},
			{Name: "submitted_by", Type: sdk.String},
			{Name: "revision", Type: sdk.Int, Required: true},
			{Name: "history", Type: sdk.Object},
		},
		Indexes: []sdk.Index{{Fields: []string{"unit_id", "year", "semester"}, Unique: true}, {Fields: []string{"year", "semester"}}, {Fields: []string{"enterprise_id", "year"}}},
	}, {
		// capital holds the capital put into the enterprise (penyertaan
		// modal), one entry per transfer.
		Name: "capital",
		Fields: []sdk.Field{
			{Name: "enterprise_id", Type: sdk.String, Required: true},
			{Name: "year", Type: sdk.Int, Required: true},
			{Name: "amount", Type: sdk.Int, Required: true},
			{Name: "source", Type: sdk.String, Required: true},
			{Name: "village", Type: sdk.String},
			{Name: "date", Type: sdk.Date, Required: true},
			{Name: "note", Type: sdk.String},
			{Name: "recorded_by", Type: sdk.String},
		},
		Indexes: []sdk.Index{{Fields: []string{"enterprise_id", "year"}}},
	}},
}

func main() { sdk.Serve(&plugin) }
