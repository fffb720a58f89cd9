// The shell side of completion: thin functions that pass the words typed so far to `ggen __complete` and hand its
// answer to the shell. All the knowledge (commands, flags, values) stays in the CLI, so the scripts never go stale.
// Wire format (see engine.ts): a directive line (`:none`, `:dirs`, `:files` or `:files .ext …`), then one
// `value<TAB>description` line per candidate.

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const BASH = `# ggen completion for bash. Load it with:  source <(ggen completion bash)   (e.g. in ~/.bashrc)
_ggen_complete() {
  local cur=\${COMP_WORDS[COMP_CWORD]} IFS=$'\\n' line ext f
  local -a lines
  # bash splits --flag=value at "="; the value alone is what gets replaced.
  [[ $cur == "=" ]] && cur=""
  lines=($(command ggen __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  COMPREPLY=()
  local directive=\${lines[0]}
  for line in "\${lines[@]:1}"; do COMPREPLY+=("\${line%%$'\\t'*}"); done
  case $directive in
    :files)
      compopt -o filenames 2>/dev/null
      COMPREPLY+=($(compgen -f -- "$cur")) ;;
    ":files "*)
      compopt -o filenames 2>/dev/null
      COMPREPLY+=($(compgen -d -- "$cur"))
      for f in $(compgen -f -- "$cur"); do
        [[ -d $f ]] && continue
        for ext in \${directive#:files }; do [[ $f == *"$ext" ]] && COMPREPLY+=("$f") && break; done
      done ;;
    :dirs)
      compopt -o filenames 2>/dev/null
      COMPREPLY+=($(compgen -d -- "$cur")) ;;
  esac
  return 0
}
complete -F _ggen_complete ggen
`;

// The extension list is split on spaces with IFS, which zsh does not do by default, hence \${=…}.
const ZSH = `#compdef ggen
# ggen completion for zsh. Load it with:  source <(ggen completion zsh)   (after compinit, e.g. in ~/.zshrc),
# or save it as _ggen in a directory of $fpath.
_ggen() {
  local -a lines described pats
  local line name desc directive ext
  lines=("\${(@f)$(command ggen __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  directive=\${lines[1]}
  for line in "\${(@)lines[2,-1]}"; do
    [[ -z $line ]] && continue
    name=\${line%%$'\\t'*}
    desc=""
    [[ $line == *$'\\t'* ]] && desc=\${line#*$'\\t'}
    described+=("\${name//:/\\\\:}\${desc:+:$desc}")
  done
  (( \${#described} )) && _describe -t values ggen described
  case $directive in
    :files) _files ;;
    ":files "*)
      for ext in \${=directive#:files }; do pats+=("*$ext"); done
      _files -g "(\${(j:|:)pats})" ;;
    :dirs) _files -/ ;;
  esac
  return 0
}
if (( $+functions[compdef] )); then compdef _ggen ggen; fi
`;

const FISH = `# ggen completion for fish. Load it with:  ggen completion fish | source
# or save it as ~/.config/fish/completions/ggen.fish
function __ggen_complete
    set -l tokens (commandline -opc) (commandline -ct)
    set -e tokens[1]
    set -l lines (command ggen __complete -- $tokens 2>/dev/null)
    test (count $lines) -gt 0; or return
    set -l directive $lines[1]
    set -e lines[1]
    for line in $lines
        echo $line
    end
    set -l cur (commandline -ct)
    switch $directive
        case ':files'
            __fish_complete_path $cur
        case ':files *'
            for f in (__fish_complete_path $cur)
                set -l path (string split -m 1 \\t -- $f)[1]
                if test -d $path
                    echo $f
                    continue
                end
                for ext in (string split ' ' -- (string replace ':files ' '' -- $directive))
                    if string match -q -- "*$ext" $path
                        echo $f
                        break
                    end
                end
            end
        case ':dirs'
            __fish_complete_directories $cur
    end
end
complete -c ggen -f -a '(__ggen_complete)'
`;

export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}
