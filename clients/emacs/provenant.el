;;; provenant.el --- Run the provenant sidecar through eglot for every file -*- lexical-binding: t; -*-

;; Version: 0.1
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: tools, vc

;;; Commentary:

;; provenant records whether each committed line was typed by a person, written by AI or
;; pasted, and attaches that to the commit as a git note.  `provenant lsp' is a language
;; server that only watches edits (no completions, no diagnostics).  This file registers it
;; with eglot for every programming, text and configuration mode and starts it in every file
;; buffer of a project:
;;
;;   (require 'provenant)
;;   (provenant-eglot-setup)
;;
;; What plain LSP gives without an AI-aware client: typing is `human', larger inserts without
;; evidence are `unknown', and agent edits are recognised through the agents' hooks.
;;
;; Limitation: eglot runs one server per buffer, so in a buffer managed by provenant your
;; usual language server does not run.  Register provenant only for the modes you want, or
;; use lsp-mode, which runs several servers per buffer (see docs/editors.md).

;;; Code:

(require 'eglot)

(defgroup provenant nil
  "Line-level provenance of code through the provenant sidecar."
  :group 'tools
  :prefix "provenant-")

(defcustom provenant-program "provenant"
  "The provenant executable (a name on `exec-path' or an absolute path)."
  :type 'string)

(defcustom provenant-modes '(prog-mode text-mode conf-mode)
  "Major modes (and the modes derived from them) whose buffers provenant tracks."
  :type '(repeat symbol))

(defun provenant--contact (&optional _interactive)
  "The eglot contact that starts the sidecar."
  (list provenant-program "lsp"))

(defun provenant--maybe-start ()
  "Start or join the sidecar for the current file buffer."
  (when (and buffer-file-name
             (not (string-match-p "/\\.git/" buffer-file-name))
             (apply #'derived-mode-p provenant-modes))
    (eglot-ensure)))

;;;###autoload
(defun provenant-eglot-setup ()
  "Register `provenant lsp' with eglot for `provenant-modes' and start it in file buffers."
  (interactive)
  (add-to-list 'eglot-server-programs (cons provenant-modes #'provenant--contact))
  (dolist (mode provenant-modes)
    (add-hook (intern (format "%s-hook" mode)) #'provenant--maybe-start)))

(defun provenant-sync (&optional timeout)
  "Ask the current buffer's sidecar to finish all queued work; wait up to TIMEOUT seconds."
  (jsonrpc-request (eglot--current-server-or-lose) :provenant/sync
                   (make-hash-table) :timeout (or timeout 10)))

(defun provenant-document-provenance ()
  "The sidecar's view of the current buffer: a plist with :version and :lines (classes)."
  (jsonrpc-request (eglot--current-server-or-lose) :provenant/documentProvenance
                   (list :textDocument (eglot--TextDocumentIdentifier))))

(provide 'provenant)
;;; provenant.el ends here
