; Windows link registration for the per-user NSIS installer (electron-builder `nsis.include`).
;
; electron-builder's `protocols` does nothing on Windows, and writing the scheme's own
; shell\open\command (what app.setAsDefaultProtocolClient does) would take tel: away from
; whatever the user chose. Instead the app declares Default Apps capabilities, so Windows
; lists it under Settings > Apps > Default apps and in the "How do you want to open this?"
; picker, and the user decides:
;   HKCU\Software\Classes\OpenSoftphone.Url                  ProgID, command with `--`
;   HKCU\Software\Clients\Internet Call\Open Softphone\Capabilities\URLAssociations
;   HKCU\Software\RegisteredApplications "Open Softphone"    points at the capabilities
; Everything lives in HKCU (per-user install, no admin) and is removed on uninstall, but
; kept across updates (electron-builder runs the old uninstaller with --updated).
;
; The command is  "<exe>" -- "%1" : Chromium stops reading switches at `--`, so a crafted
; link can never become a command-line switch; the main process only reads links after `--`.

!define OSP_PROGID "OpenSoftphone.Url"
!define OSP_APP_NAME "Open Softphone"
!define OSP_CLIENT_KEY "Software\Clients\Internet Call\Open Softphone"
!define OSP_CAPABILITIES "${OSP_CLIENT_KEY}\Capabilities"
!define OSP_EXE "$INSTDIR\${APP_EXECUTABLE_FILENAME}"
; Marks a scheme key this installer created, so uninstall removes only its own.
!define OSP_MARKER "OpenSoftphoneDeclaredScheme"

; Associates one scheme with the ProgID, and declares the scheme as a URL protocol if nothing
; on this machine does yet. That declaration has no command, so it chooses no handler.
!macro ospRegisterScheme SCHEME
  WriteRegStr HKCU "${OSP_CAPABILITIES}\URLAssociations" "${SCHEME}" "${OSP_PROGID}"
  Push $0
  ClearErrors
  ReadRegStr $0 HKCR "${SCHEME}" "URL Protocol"
  ${If} ${Errors}
    WriteRegStr HKCU "Software\Classes\${SCHEME}" "" "URL:${SCHEME}"
    WriteRegStr HKCU "Software\Classes\${SCHEME}" "URL Protocol" ""
    WriteRegStr HKCU "Software\Classes\${SCHEME}" "${OSP_MARKER}" "1"
  ${EndIf}
  Pop $0
!macroend

; Removes the scheme declaration only if this installer made it and nobody added to it since.
!macro ospUnregisterScheme SCHEME
  Push $0
  ClearErrors
  ReadRegStr $0 HKCU "Software\Classes\${SCHEME}" "${OSP_MARKER}"
  ${IfNot} ${Errors}
    DeleteRegValue HKCU "Software\Classes\${SCHEME}" "${OSP_MARKER}"
    DeleteRegKey /ifempty HKCU "Software\Classes\${SCHEME}"
  ${EndIf}
  Pop $0
!macroend

;   Removes a scheme's open command if it starts this install's exe. Open Softphone 0.1 called
;   app.setAsDefaultProtocolClient at every start, which writes exactly that key
;   (HKCU\Software\Classes\<scheme>\shell\open\command = "<exe>" ... "%1"); once the exe is
;   gone it would dangle. A command naming another program is left alone.
!macro ospRemoveOwnCommand SCHEME
  Push $0
  Push $1
  Push $2
  ClearErrors
  ReadRegStr $0 HKCU "Software\Classes\${SCHEME}\shell\open\command" ""
  ${IfNot} ${Errors}
    StrLen $2 '"${OSP_EXE}"'
    StrCpy $1 $0 $2
    ${If} $1 == '"${OSP_EXE}"'
      DeleteRegKey HKCU "Software\Classes\${SCHEME}\shell\open\command"
      DeleteRegKey /ifempty HKCU "Software\Classes\${SCHEME}\shell\open"
      DeleteRegKey /ifempty HKCU "Software\Classes\${SCHEME}\shell"
    ${EndIf}
  ${EndIf}
  Pop $2
  Pop $1
  Pop $0
!macroend

!macro customInstall
  WriteRegStr HKCU "Software\Classes\${OSP_PROGID}" "" "${OSP_APP_NAME} link"
  WriteRegStr HKCU "Software\Classes\${OSP_PROGID}" "FriendlyTypeName" "${OSP_APP_NAME} link"
  WriteRegStr HKCU "Software\Classes\${OSP_PROGID}\DefaultIcon" "" "${OSP_EXE},0"
  WriteRegStr HKCU "Software\Classes\${OSP_PROGID}\Application" "ApplicationName" "${OSP_APP_NAME}"
  WriteRegStr HKCU "Software\Classes\${OSP_PROGID}\Application" "ApplicationIcon" "${OSP_EXE},0"
  WriteRegStr HKCU "Software\Classes\${OSP_PROGID}\Application" "AppUserModelID" "${APP_ID}"
  WriteRegStr HKCU "Software\Classes\${OSP_PROGID}\shell\open\command" "" '"${OSP_EXE}" -- "%1"'

  WriteRegStr HKCU "${OSP_CAPABILITIES}" "ApplicationName" "${OSP_APP_NAME}"
  WriteRegStr HKCU "${OSP_CAPABILITIES}" "ApplicationIcon" "${OSP_EXE},0"
  WriteRegStr HKCU "${OSP_CAPABILITIES}" "ApplicationDescription" "Calls tel:, sip:, sips: and callto: links."
  !insertmacro ospRegisterScheme "tel"
  !insertmacro ospRegisterScheme "sip"
  !insertmacro ospRegisterScheme "sips"
  !insertmacro ospRegisterScheme "callto"
  WriteRegStr HKCU "Software\RegisteredApplications" "${OSP_APP_NAME}" "${OSP_CAPABILITIES}"

  ; SHCNE_ASSOCCHANGED: let Explorer and Default Apps see the new capabilities now.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
!macroend

!macro customUnInstall
  ${IfNot} ${isUpdated}
    DeleteRegValue HKCU "Software\RegisteredApplications" "${OSP_APP_NAME}"
    DeleteRegKey HKCU "${OSP_CLIENT_KEY}"
    DeleteRegKey /ifempty HKCU "Software\Clients\Internet Call"
    DeleteRegKey HKCU "Software\Classes\${OSP_PROGID}"
    !insertmacro ospRemoveOwnCommand "tel"
    !insertmacro ospRemoveOwnCommand "sip"
    !insertmacro ospRemoveOwnCommand "sips"
    !insertmacro ospRemoveOwnCommand "callto"
    !insertmacro ospUnregisterScheme "tel"
    !insertmacro ospUnregisterScheme "sip"
    !insertmacro ospUnregisterScheme "sips"
    !insertmacro ospUnregisterScheme "callto"
    System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  ${EndIf}
!macroend
