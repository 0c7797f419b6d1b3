fn main() -> std::process::ExitCode {
    danchu::cli::main()
}
