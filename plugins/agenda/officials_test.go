package main

import "testing"

// Officials typed in different ways are the profile's one person, named
// as the profile records them; one the profile does not know keeps the
// typed name with its spaces tidied.
func TestRosterNamesOfficialsAsTheProfile(t *testing.T) {
	p := profileOfficials{Head: "H. Ahmad  Yani"}
	p.Officials = append(p.Officials, struct {
		Name     string `json:"name"`
		Position string `json:"position"`
	}{"Siti Rahma", "Sekretaris Desa"})
	ro := newRoster(p)
	headKey, _ := ro.official("H. Ahmad Yani")
	for _, c := range []struct{ typed, want string }{
		{"kades ahmad yani", "H. Ahmad Yani"},
		{"Kepala Desa H. Ahmad Yani", "H. Ahmad Yani"},
		{"Pak Ahmad  Yani", "H. Ahmad Yani"},
		{"ahmad yani", "H. Ahmad Yani"},
		{"sekretaris desa siti rahma", "Siti Rahma"},
		{"Ibu Siti Rahma", "Siti Rahma"},
		{"  bidan   Sari ", "bidan Sari"},
	} {
		key, name := ro.official(c.typed)
		if name != c.want {
			t.Errorf("official(%q) = %q, want %q", c.typed, name, c.want)
		}
		if c.want == "H. Ahmad Yani" && key != headKey {
			t.Errorf("official(%q) is not the head: key %q, want %q", c.typed, key, headKey)
		}
	}
	if k1, _ := ro.official("Bidan Sari"); k1 != "bidan sari" {
		t.Errorf("an official outside the profile: key %q", k1)
	}
	// Without a profile, names fold as before and keep one tidy form.
	empty := newRoster(profileOfficials{})
	if k, n := empty.official("Kades  Ahmad"); k != "kades ahmad" || n != "Kades Ahmad" {
		t.Errorf("without a profile: %q %q", k, n)
	}
}
