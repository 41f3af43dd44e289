// Package files stores plugins' files (photos, attachments) on local disk,
// per plugin and tenant, with their metadata in the database. The content
// type is sniffed from the data, never taken from the uploader's word.
package files

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/store"
)

// File is a stored file's metadata.
type File struct {
	ID          string    `gorm:"primaryKey;size:36" json:"id"`
	Plugin      string    `gorm:"size:32;not null;index:ix_files_owner" json:"-"`
	Tenant      string    `gorm:"size:13;not null;index:ix_files_owner" json:"tenant"`
	Name        string    `gorm:"size:255;not null" json:"name"`
	ContentType string    `gorm:"size:100;not null" json:"content_type"`
	Size        int64     `gorm:"not null" json:"size"`
	SHA256      string    `gorm:"size:64;not null" json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
}

// TableName fixes the table name.
func (File) TableName() string { return "files" }

// Migrations create the files table.
func Migrations() []*store.Migration {
	type file struct {
		ID          string `gorm:"primaryKey;size:36"`
		Plugin      string `gorm:"size:32;not null;index:ix_files_owner"`
		Tenant      string `gorm:"size:13;not null;index:ix_files_owner"`
		Name        string `gorm:"size:255;not null"`
		ContentType string `gorm:"size:100;not null"`
		Size        int64  `gorm:"not null"`
		SHA256      string `gorm:"size:64;not null"`
		CreatedAt   time.Time
	}
	return []*store.Migration{{
		ID: "202611250400_files",
		Migrate: func(tx *gorm.DB) error {
			return tx.Table("files").AutoMigrate(&file{})
		},
	}}
}

// DefaultAccept is what a plugin may store when it names no types.
var DefaultAccept = []string{"image/*", "application/pdf", "text/plain"}

// ErrTooLarge and ErrType are the caller's faults.
var (
	ErrTooLarge = errors.New("file too large")
	ErrType     = errors.New("file type not accepted")
	ErrNotFound = errors.New("file not found")
)

// Store keeps files under Dir.
type Store struct {
	DB       *gorm.DB
	Dir      string
	MaxBytes int64
}

func accepted(ct string, accept []string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	for _, a := range accept {
		if a == ct || (strings.HasSuffix(a, "/*") && strings.HasPrefix(ct, strings.TrimSuffix(a, "*"))) {
			return true
		}
	}
	return false
}

// Put stores data as a new file of plugin in tenant.
func (s *Store) Put(plugin, tenant, name string, accept []string, maxBytes int64, data io.Reader) (*File, error) {
	if maxBytes <= 0 || maxBytes > s.MaxBytes {
		maxBytes = s.MaxBytes
	}
	if len(accept) == 0 {
		accept = DefaultAccept
	}
	name = filepath.Base(strings.TrimSpace(name))
	if name == "" || name == "." || name == "/" || len(name) > 255 {
		name = "file"
	}
	br := bufio.NewReaderSize(data, 512)
	head, _ := br.Peek(512)
	ct := http.DetectContentType(head)
	if !accepted(ct, accept) {
		return nil, fmt.Errorf("%w: the data is %s, accepted: %s", ErrType, ct, strings.Join(accept, ", "))
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(s.Dir, plugin)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(br, maxBytes+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("receiving file: %w", err)
	}
	if n > maxBytes {
		return nil, fmt.Errorf("%w: the limit is %d bytes", ErrTooLarge, maxBytes)
	}
	f := &File{ID: id.String(), Plugin: plugin, Tenant: tenant, Name: name, ContentType: ct, Size: n, SHA256: hex.EncodeToString(h.Sum(nil)), CreatedAt: time.Now().UTC()}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, f.ID)); err != nil {
		return nil, err
	}
	if err := s.DB.Create(f).Error; err != nil {
		os.Remove(filepath.Join(dir, f.ID))
		return nil, err
	}
	return f, nil
}

// Open returns a file of plugin in tenant.
func (s *Store) Open(plugin, tenant, id string) (*File, io.ReadCloser, error) {
	var f File
	err := s.DB.Where("id = ? AND plugin = ? AND tenant = ?", id, plugin, tenant).Take(&f).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	r, err := os.Open(filepath.Join(s.Dir, plugin, f.ID))
	if err != nil {
		return nil, nil, fmt.Errorf("opening stored file %s: %w", f.ID, err)
	}
	return &f, r, nil
}

// Delete removes a file of plugin in tenant.
func (s *Store) Delete(plugin, tenant, id string) error {
	res := s.DB.Where("id = ? AND plugin = ? AND tenant = ?", id, plugin, tenant).Delete(&File{})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return os.Remove(filepath.Join(s.Dir, plugin, id))
}

// CountTenant returns how many files a tenant holds itself.
func CountTenant(tx *gorm.DB, tenant string) (int64, error) {
	var n int64
	err := tx.Model(&File{}).Where("tenant = ?", tenant).Count(&n).Error
	return n, err
}

// PurgeTenant deletes, in tx, the rows of every file a tenant holds and
// returns them; remove their contents with RemoveBlobs once tx commits
// (before, a rollback would leave rows without contents).
func PurgeTenant(tx *gorm.DB, tenant string) ([]File, error) {
	var fs []File
	if err := tx.Where("tenant = ?", tenant).Find(&fs).Error; err != nil {
		return nil, fmt.Errorf("listing files of %s: %w", tenant, err)
	}
	if len(fs) == 0 {
		return nil, nil
	}
	if err := tx.Where("tenant = ?", tenant).Delete(&File{}).Error; err != nil {
		return nil, fmt.Errorf("deleting files of %s: %w", tenant, err)
	}
	return fs, nil
}

// RemoveBlobs removes the stored contents of files under dir; contents
// already gone are not an error. It returns the first other failure.
func RemoveBlobs(dir string, fs []File) error {
	var first error
	for _, f := range fs {
		err := os.Remove(filepath.Join(dir, f.Plugin, f.ID))
		if err != nil && !errors.Is(err, os.ErrNotExist) && first == nil {
			first = fmt.Errorf("removing stored file %s: %w", f.ID, err)
		}
	}
	return first
}
