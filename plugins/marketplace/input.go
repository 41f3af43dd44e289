package main

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// cleanText trims s and checks it is free text of at most max characters
// (input.Text: line breaks and tabs allowed, other control characters and
// bidirectional overrides not); required text must not be empty. A
// problem is 422 with code, which names the field.
func cleanText(field string, code sdk.Code, s string, max int, required bool) (string, error) {
	return clean(field, code, s, max, required, input.Text)
}

// cleanName is cleanText for a one-line name (input.Name): no line breaks
// nor invisible formatting characters either, so that a name renders the
// same in every view and log.
func cleanName(field string, code sdk.Code, s string, max int, required bool) (string, error) {
	return clean(field, code, s, max, required, input.Name)
}

func clean(field string, code sdk.Code, s string, max int, required bool, rule func(string, int) error) (string, error) {
	s = strings.TrimSpace(s)
	if required && s == "" {
		return "", &sdk.Error{Status: http.StatusUnprocessableEntity, Code: code, Message: field + " is required", Field: field}
	}
	if err := rule(s, max); err != nil {
		return "", &sdk.Error{Status: http.StatusUnprocessableEntity, Code: code, Message: fmt.Sprintf("%s %v", field, err), Field: field}
	}
	return s, nil
}

// NormalizePhone accepts an Indonesian mobile number as people write it
// (0812-3456-7890, +62 812 3456 7890, 62812...) and returns it as +62812...
// Only mobile numbers are taken: sellers reach buyers by WhatsApp or SMS.
func NormalizePhone(s string) (string, bool) {
	var b strings.Builder
	for i, c := range strings.TrimSpace(s) {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case c == '+' && i == 0:
			b.WriteRune(c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return "", false
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "+62"):
		d = d[3:]
	case strings.HasPrefix(d, "62"):
		d = d[2:]
	case strings.HasPrefix(d, "0"):
		d = d[1:]
	default:
		return "", false
	}
	// National mobile numbers are 8, then an operator digit, then 7 to 10
	// digits: 10 to 13 digits when written with the leading 0.
	if len(d) < 9 || len(d) > 12 || d[0] != '8' || d[1] == '0' {
		return "", false
	}
	for _, c := range d {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	return "+62" + d, true
}

// Category is a product category of the catalogue.
type Category struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// categories is a fixed list, so that ?category= finds every product of a
// kind in a district whoever typed it in.
var categories = []Category{
	{"food", "Makanan"},
	{"drinks", "Minuman"},
	{"crafts", "Kerajinan"},
	{"fashion", "Fesyen dan Tekstil"},
	{"agriculture", "Hasil Pertanian"},
	{"plantation", "Hasil Perkebunan"},
	{"fishery", "Hasil Perikanan"},
	{"livestock", "Peternakan"},
	{"herbal", "Herbal dan Kesehatan"},
	{"household", "Kebutuhan Rumah Tangga"},
	{"services", "Jasa"},
	{"other", "Lainnya"},
}

func categoryName(code string) (string, bool) {
	for _, c := range categories {
		if c.Code == code {
			return c.Name, true
		}
	}
	return "", false
}

func categoryCodes() string {
	codes := make([]string, len(categories))
	for i, c := range categories {
		codes[i] = c.Code
	}
	return strings.Join(codes, ", ")
}

func listCategories(*http.Request) (int, any, error) {
	return http.StatusOK, sdk.ListOf[Category]{Items: categories, Total: int64(len(categories))}, nil
}

// notAVillage refuses writes outside a village: sellers, their products
// and their orders belong to one village.
func notAVillage(req *sdk.Request, what string) error {
	if req.Level == sdk.Village {
		return nil
	}
	return sdk.Errorf(http.StatusUnprocessableEntity, codeNotAVillage, "%s belong to a village: use /api/v1/t/{village code}/marketplace/... (%s is a %s)", what, req.Tenant, req.Level)
}
