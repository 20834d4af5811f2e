; ASYNC220/221/222: a call of a subprocess or os process function, through
; any alias of its module...
((call
   function: (attribute
     attribute: (identifier) @_attr) @ref)
 (#any-of? @_attr "Popen" "run" "call" "check_call" "check_output" "getoutput"
                  "getstatusoutput" "system" "popen" "posix_spawn" "posix_spawnp"
                  "spawnl" "spawnle" "spawnlp" "spawnlpe" "spawnv" "spawnve" "spawnvp"
                  "spawnvpe" "wait" "wait3" "wait4" "waitid" "waitpid"))

; ...or a name bound by `from subprocess import run [as x]`, `from os import system`.
((call
   function: (identifier) @ref)
 (#imports? @ref "subprocess.Popen" "subprocess.run" "subprocess.call"
                 "subprocess.check_call" "subprocess.check_output" "subprocess.getoutput"
                 "subprocess.getstatusoutput" "os.system" "os.popen" "os.posix_spawn"
                 "os.posix_spawnp" "os.spawnl" "os.spawnle" "os.spawnlp" "os.spawnlpe"
                 "os.spawnv" "os.spawnve" "os.spawnvp" "os.spawnvpe" "os.wait" "os.wait3"
                 "os.wait4" "os.waitid" "os.waitpid"))
