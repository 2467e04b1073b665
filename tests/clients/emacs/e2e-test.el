;;; e2e-test.el --- provenant through plain eglot in batch Emacs -*- lexical-binding: t; -*-

;; Run by scripts/test-emacs.sh in a real git repository ($PROVENANT_TEST_REPO) with
;; `provenant install' done: opens a file, connects eglot to `provenant lsp' through
;; clients/emacs/provenant.el, types in small inserts, saves, commits with the git CLI and
;; checks that the note lists the typed lines as `human'.

(require 'eglot)
(require 'provenant)
(require 'subr-x)

(defvar e2e-passed 0)
(defvar e2e-failed 0)

(defun e2e-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun e2e-check (ok what &optional detail)
  (if ok
      (progn (setq e2e-passed (1+ e2e-passed)) (e2e-out "  ok   %s" what))
    (setq e2e-failed (1+ e2e-failed))
    (e2e-out "  FAIL %s%s" what (if detail (format ": %S" detail) "")))
  ok)

(defun e2e-run (program &rest args)
  "Run PROGRAM with ARGS; return (EXIT-CODE . OUTPUT)."
  (with-temp-buffer
    (let ((code (apply #'call-process program nil t nil args)))
      (cons code (buffer-string)))))

(defun e2e-expand (ranges)
  "\"1-3,7\" -> (1 2 3 7)."
  (let (out)
    (dolist (part (split-string (or ranges "") "," t))
      (if (string-match "\\`\\([0-9]+\\)-\\([0-9]+\\)\\'" part)
          (setq out (append out (number-sequence (string-to-number (match-string 1 part))
                                                 (string-to-number (match-string 2 part)))))
        (setq out (append out (list (string-to-number part))))))
    out))

(defun e2e-type (text)
  "Insert TEXT one character at a time, as typing does, flushing didChange after each line
the way eglot's idle timer would (idle timers do not run in batch mode)."
  (dolist (c (string-to-list text))
    (insert-char c)
    (when (eq c ?\n)
      (eglot--signal-textDocument/didChange)))
  (eglot--signal-textDocument/didChange))

(defun e2e-main ()
  (let* ((repo (file-name-as-directory (getenv "PROVENANT_TEST_REPO")))
         (default-directory repo)
         (eglot-sync-connect 30)
         (eglot-connect-timeout 30))
    (provenant-eglot-setup)
    (find-file (expand-file-name "main.py" repo))
    ;; eglot-ensure waits for post-command-hook, which batch mode never runs: connect the way
    ;; it would, with the contact provenant-eglot-setup registered.
    (let ((contact (eglot--guess-contact)))
      (e2e-check (equal (nth 3 contact) (list provenant-program "lsp"))
                 "eglot picks `provenant lsp' for python-mode" contact)
      (apply #'eglot contact))
    (let ((server (eglot-current-server)))
      (unless (e2e-check (and server (jsonrpc-running-p server)) "eglot connected to the sidecar")
        (error "no server")))
    (goto-char (point-max))
    (e2e-type "def greet(name):\n    return \"hello \" + name\n")
    ;; A paste-sized insert with no evidence (plain LSP cannot say where it came from).
    (insert "CONFIG = {\n    \"retries\": 3,\n    \"timeout\": 30,\n}\n")
    (save-buffer)
    (provenant-sync)
    (let* ((prov (provenant-document-provenance))
           (lines (append (plist-get prov :lines) nil)))
      (e2e-check (equal (seq-subseq lines 1 3) '("human" "human"))
                 "the sidecar classes the typed lines as human" lines)
      (e2e-check (equal (seq-subseq lines 3 7) '("unknown" "unknown" "unknown" "unknown"))
                 "a large insert without evidence is unknown, never guessed" lines))
    (eglot-shutdown (eglot-current-server))
    (let ((add (e2e-run "git" "add" "main.py"))
          (commit (e2e-run "git" "commit" "-q" "-m" "typed in emacs")))
      (e2e-check (eq (car add) 0) "git add" add)
      (e2e-check (eq (car commit) 0) "git commit" commit))
    (let* ((show (e2e-run "provenant" "show" "--json" "HEAD"))
           (note (and (eq (car show) 0) (ignore-errors (json-parse-string (cdr show)))))
           (file (and note (gethash "main.py" (gethash "files" note))))
           (lines (and file (gethash "lines" file))))
      (when (e2e-check (hash-table-p lines) "provenant show --json HEAD lists main.py" show)
        (e2e-check (equal (e2e-expand (gethash "human" lines)) '(2 3))
                   "the note lists the typed lines as human" (cdr show))
        (e2e-check (equal (e2e-expand (gethash "unknown" lines)) '(4 5 6 7))
                   "the note lists the large insert as unknown" (cdr show))
        (e2e-check (null (gethash "ai" lines)) "no line is attributed to AI" (cdr show))))))

(e2e-out "== emacs-eglot")
(condition-case err
    (e2e-main)
  (error (e2e-check nil "test raised an error" err)))
(e2e-out "emacs-eglot: %d passed, %d failed" e2e-passed e2e-failed)
(kill-emacs (if (> e2e-failed 0) 1 0))
