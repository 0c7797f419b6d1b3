fn main() -> std::process::ExitCode {
    // The text-extraction child (see danchu_web::extract): no runtime, no logging.
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == danchu_web::extract::CHILD_ARG)
    {
        return danchu_web::extract::child_main();
    }
    danchu::cli::main()
}
