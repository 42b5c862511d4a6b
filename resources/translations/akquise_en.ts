<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>BulkDialog</name>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n record</numerusform>
            <numerusform>%n records</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n follow-up(s)</source>
        <translation>
            <numerusform>%n follow-up</numerusform>
            <numerusform>%n follow-ups</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CallerChooser</name>
    <message numerus="yes">
        <source>%n record(s) have the number %1. Who is calling?</source>
        <translation>
            <numerusform>%n record has the number %1. Who is calling?</numerusform>
            <numerusform>%n records have the number %1. Who is calling?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EntryDetail</name>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FollowUpListEmptyState</name>
    <message numerus="yes">
        <source>%n open follow-up(s) in other periods.</source>
        <translation>
            <numerusform>%n open follow-up in other periods.</numerusform>
            <numerusform>%n open follow-ups in other periods.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IconChooser</name>
    <message numerus="yes">
        <source>%n icon(s) found</source>
        <translation>
            <numerusform>%n icon found</numerusform>
            <numerusform>%n icons found</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecordListView</name>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n record</numerusform>
            <numerusform>%n records</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecordView</name>
    <message numerus="yes">
        <source>last activity %n day(s) ago</source>
        <translation>
            <numerusform>last activity %n day ago</numerusform>
            <numerusform>last activity %n days ago</numerusform>
        </translation>
    </message>
</context>
</TS>
