" Test double of copilot.vim's accept: an <expr> mapping whose keys insert the suggestion through
" the expression register, exactly as copilot.vim's copilot#Accept() does.
let s:suggestion = ''

function! copilot#SetSuggestion(text) abort
  let s:suggestion = a:text
endfunction

function! copilot#TextQueuedForInsertion() abort
  try
    return remove(s:, 'suggestion_text')
  catch
    return ''
  endtry
endfunction

function! copilot#Accept(...) abort
  if !empty(s:suggestion)
    let s:suggestion_text = s:suggestion
    let s:suggestion = ''
    return "\<C-R>\<C-O>=copilot#TextQueuedForInsertion()\<CR>\<End>"
  endif
  return a:0 ? a:1 : "\t"
endfunction
