#!/usr/bin/perl
# Converts one Outlook .msg file to RFC 5322 with Email::Outlook::Message,
# the library behind Debian's msgconvert (libemail-outlook-message-perl).
#
# usage: perl msg2eml.pl IN.msg OUT.eml
#
# It does what msgconvert does (new(...)->to_email_mime->as_string) with three
# documented changes, all using only that library's own data:
#  1. msgconvert drops Bcc (PR_DISPLAY_BCC, 0x0E02, is not in its property
#     map).  The tag is added to the map, and a Bcc header is built the same
#     way the library builds To and Cc (names matched against its recipient
#     pool).
#  2. msgconvert writes non-ASCII header values as raw Perl strings, which
#     come out as Latin-1 octets or, once any character is above U+00FF, as
#     UTF-8 of the whole message (double-encoding 8-bit bodies).  Such header
#     values are re-set with Email::MIME's header_str_set, which writes RFC
#     2047 encoded words.
#  3. msgconvert joins "Name <address>" strings without quoting, so a display
#     name with a comma ("Andersson, Anna") splits into two addresses and
#     the list falls apart.  To, Cc and Bcc are rebuilt from the same data
#     (the PR_DISPLAY_TO/CC/BCC names matched against the recipient pool, as
#     the library does) with Email::Address::XS, which quotes; a name that
#     matches no recipient is taken as a bare address, as msgconvert does.
use strict;
use warnings;
use Email::Outlook::Message;
use Email::Address::XS;

my ($in, $out) = @ARGV;
die "usage: msg2eml.pl IN.msg OUT.eml\n" unless defined $out;

$Email::Outlook::Message::MAP_SUBITEM_FILE->{'0E02'} = 'BCC';

my $msg = Email::Outlook::Message->new($in);
my $mail = $msg->to_email_mime;

sub address_list {
    my ($names) = @_;
    my @out;
    for my $name (split / ; [ ]* /x, $names) {
        my ($info) = grep { defined $_->name && $_->name eq $name } @{ $msg->{ADDRESSES} };
        my $addr;
        if ($info) {
            $addr = $info->smtp_address;
            $addr = $info->address if !defined $addr && $info->address_type eq 'SMTP';
        }
        push @out, defined $addr ? Email::Address::XS->new($name, $addr)->format
                                 : Email::Address::XS->new(undef, $name)->format;
    }
    return join ', ', @out;
}

for my $field (['To', 'TO'], ['Cc', 'CC'], ['Bcc', 'BCC']) {
    my ($header, $key) = @$field;
    next unless defined $msg->{$key} && length $msg->{$key};
    $mail->header_str_set($header, address_list($msg->{$key}));
}
for my $name ($mail->header_names) {
    my @vals = $mail->header_raw($name);
    next unless grep { /[^\x00-\x7f]/ } @vals;
    $mail->header_str_set($name, @vals);
}
my $s = $mail->as_string;
die "non-octet character left in $in\n" if $s =~ /[^\x00-\xff]/;
open my $fh, '>:raw', $out or die "$out: $!\n";
print $fh $s;
close $fh or die "$out: $!\n";
