package main

import (
	"net/http"
	"strings"

	"github.com/balaidesa/balai/sdk"
)

// Kinds of article: news is dated and listed newest first; a page is a
// standing page of the village's site (its history, its organisation, its
// services) that the public reaches from the site's page list.
const (
	KindNews = "news"
	KindPage = "page"
)

// Category is an article category: Kind says which kind of article takes
// it.
type Category struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// categories is a fixed list, so that ?category= finds the same kind of
// news in every village of a regency whoever wrote it. The news
// categories follow what village sites publish (Permendesa PDTT 8/2016
// asks villages to publish their plans, budgets and activities); the
// page categories are the standing pages of a village profile.
var categories = []Category{
	{"berita", "Berita Desa", KindNews},
	{"pengumuman", "Pengumuman", KindNews},
	{"kegiatan", "Kegiatan", KindNews},
	{"pembangunan", "Pembangunan", KindNews},
	{"anggaran", "Transparansi Anggaran", KindNews},
	{"kesehatan", "Kesehatan", KindNews},
	{"pendidikan", "Pendidikan", KindNews},
	{"ekonomi", "Ekonomi dan UMKM", KindNews},
	{"budaya", "Seni dan Budaya", KindNews},
	{"sejarah", "Sejarah", KindPage},
	{"pemerintahan", "Pemerintahan dan Organisasi", KindPage},
	{"layanan", "Layanan", KindPage},
	{"potensi", "Potensi Desa", KindPage},
	{"lainnya", "Lainnya", KindNews},
	{"halaman", "Halaman Lain", KindPage},
}

// defaultCategory is the category of an article that names none.
func defaultCategory(kind string) string {
	if kind == KindPage {
		return "halaman"
	}
	return "berita"
}

func category(code string) (Category, bool) {
	for _, c := range categories {
		if c.Code == code {
			return c, true
		}
	}
	return Category{}, false
}

func categoryCodes(kind string) string {
	var codes []string
	for _, c := range categories {
		if kind == "" || c.Kind == kind {
			codes = append(codes, c.Code)
		}
	}
	return strings.Join(codes, ", ")
}

// listCategories answers GET /categories: every category with its kind.
func listCategories(*http.Request) (int, any, error) {
	return http.StatusOK, sdk.ListOf[Category]{Items: categories, Total: int64(len(categories))}, nil
}
