package modules

import (
	"testing"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

// BenchmarkSettings measures a village's settings read (three tenants'
// rows layered) and save (the diff and the upsert in one transaction,
// serialised per plugin), on each database.
func BenchmarkSettings(b *testing.B) {
	for _, be := range storetest.Backends(b) {
		b.Run(be.Name, func(b *testing.B) {
			u, dir := be.New(b)
			db, err := store.Open(store.Options{URL: u, DataDir: dir})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(Migrations()); err != nil {
				b.Fatal(err)
			}
			const village = "14.01.01.2009"
			regency := []byte(`{"paper":"F4","four_eyes":true,"signatory":{"title":"Camat","name":"H. Syamsuar","nip":"196501011990031001"},"types":{"sku":{"title":"Surat Keterangan Usaha","body":"..."}}}`)
			if err := PutSettings(db.DB, "services", "14.01", regency); err != nil {
				b.Fatal(err)
			}
			values := []byte(`{"paper":"A4","four_eyes":true,"signatory":{"title":"Kepala Desa Kumantan","name":"H. Ahmad Yani"},"types":{"sku":{"title":"Surat Keterangan Usaha","body":"..."}}}`)
			if err := PutSettings(db.DB, "services", "14.01.01", []byte(`{"paper":"F4","place":"Bangkinang"}`)); err != nil {
				b.Fatal(err)
			}
			b.Run("get", func(b *testing.B) {
				for b.Loop() {
					if _, err := GetSettings(db.DB, "services", village); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("put", func(b *testing.B) {
				for b.Loop() {
					if err := PutSettings(db.DB, "services", village, values); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
